// The population map's browser half. Plotly.Blazor's PlotlyChart re-sends the whole figure on every update and reports
// a selection as every selected point's x, y and text (100k points overflow Blazor's 32 KB hub message limit), so the
// map keeps its coordinates here, received ONCE per run and projection, and each recolour, resize or filter only sends
// one byte per point (its legend entry), plus float32 values for a colour bar and one size byte per point. Selections
// go back as the box or lasso shape; the server knows which points lie inside. Hover labels are fetched per point when
// the pointer rests on one (sending all of them made a 100k-point payload 10 times larger) and shown as plain text.
// Plotly.js itself is the copy the Plotly.Blazor package serves (no CDN); its file name carries plotly.js's version, so
// the server, which finds it in the package, hands over its URL (startLoadingPlotly) right after importing this module.
const hiddenCode = 255;
const maxLassoVertices = 400;
const maps = new Map();
let plotlyUrl = null;
let plotlyLoading = null;

// Starts fetching Plotly: called once the module is imported, while the server still reads the run's points.
export function startLoadingPlotly(url) {
    plotlyUrl = url;
    loadPlotly().catch(() => { plotlyLoading = null; });
}

function loadPlotly() {
    if (window.Plotly) {
        return Promise.resolve();
    }
    if (!plotlyLoading) {
        plotlyLoading = new Promise((resolve, reject) => {
            const script = document.createElement('script');
            script.src = plotlyUrl;
            script.async = true;
            script.onload = () => resolve();
            script.onerror = () => reject(new Error(`could not load ${plotlyUrl}`));
            document.head.appendChild(script);
        });
    }
    return plotlyLoading;
}

// .NET byte arrays arrive as Uint8Array views that need not be aligned for Float32Array/Int32Array: copy first.
const floats = bytes => new Float32Array(bytes.slice().buffer);
const ints = bytes => new Int32Array(bytes.slice().buffer);

function supportsWebGl() {
    try {
        const canvas = document.createElement('canvas');
        return !!(canvas.getContext('webgl2') || canvas.getContext('webgl'));
    } catch {
        return false;
    }
}

export async function setPoints(element, dotnet, payload) {
    // Milliseconds since navigation at which the points arrived and the plot was drawn: the map's loading time, for tests.
    element.dataset.pointsReceivedMs = String(Math.round(performance.now()));
    // Returns without waiting for Plotly, so the server computes and sends the style while the script still loads.
    const existing = maps.get(element);
    const map = existing ?? { element, dotnet, style: null, subscribed: false, webgl: supportsWebGl() };
    map.dotnet = dotnet;
    map.x = floats(payload.x);
    map.y = floats(payload.y);
    map.sampleIndex = ints(payload.sampleIndex);
    map.hoverLines = new Map();
    map.revision = (map.revision ?? 0) + 1;
    maps.set(element, map);
    if (map.style) {
        await loadPlotly();
        await render(map);
    }
}

export async function setCoordinates(element, x, y) {
    const map = maps.get(element);
    map.x = floats(x);
    map.y = floats(y);
    map.revision += 1;
    if (map.style) {
        await render(map);
    }
}

export async function setStyle(element, style) {
    element.dataset.styleReceivedMs = String(Math.round(performance.now()));
    await loadPlotly();
    const map = maps.get(element);
    map.style = {
        codes: style.codes,
        values: style.values ? floats(style.values) : null,
        sizes: style.sizes,
        names: style.names,
        colours: style.colours,
        colourByValue: style.colourByValue,
        counts: style.counts,
        valueTitle: style.valueTitle,
        valueMin: style.valueMin,
        valueMax: style.valueMax,
    };
    await render(map);
}

export function dispose(element) {
    const map = maps.get(element);
    map?.tooltip?.remove();
    if (maps.delete(element) && window.Plotly) {
        window.Plotly.purge(element);
    }
}

function tooltipOf(map) {
    if (!map.tooltip) {
        const tip = document.createElement('div');
        tip.id = `${map.element.id}-tooltip`;
        tip.dataset.testid = 'map-tooltip';
        tip.setAttribute('role', 'tooltip');
        Object.assign(tip.style, {
            position: 'fixed', zIndex: '2000', pointerEvents: 'none', display: 'none', maxWidth: '440px',
            padding: '6px 8px', borderRadius: '4px', background: 'rgba(30,30,30,0.92)', color: '#fff',
            font: '12px/1.4 Roboto, Helvetica, Arial, sans-serif', boxShadow: '0 2px 6px rgba(0,0,0,0.3)',
        });
        document.body.appendChild(tip);
        map.tooltip = tip;
    }
    return map.tooltip;
}

async function showHover(map, event) {
    const point = event.points?.[0];
    if (!point) {
        return;
    }
    const position = point.customdata;
    const request = map.hoverRequest = (map.hoverRequest ?? 0) + 1;
    const { clientX, clientY } = event.event ?? {};
    let lines = map.hoverLines.get(position);
    if (!lines) {
        lines = await map.dotnet.invokeMethodAsync('HoverLines', position);
        if (!lines) {
            return;
        }
        map.hoverLines.set(position, lines);
    }
    if (request !== map.hoverRequest) {
        return; // the pointer moved on while the label was on its way
    }
    const tip = tooltipOf(map);
    // Dataset text goes in as text nodes: markup in a question is shown, never interpreted.
    tip.replaceChildren(...lines.map(line => {
        const row = document.createElement('div');
        row.textContent = line;
        return row;
    }));
    tip.style.left = `${(clientX ?? 0) + 14}px`;
    tip.style.top = `${(clientY ?? 0) + 14}px`;
    tip.style.display = 'block';
}

function hideHover(map) {
    map.hoverRequest = (map.hoverRequest ?? 0) + 1;
    if (map.tooltip) {
        map.tooltip.style.display = 'none';
    }
}

async function render(map) {
    hideHover(map);
    const { x, y } = map;
    const s = map.style;
    const members = s.names.map(() => []);
    for (let i = 0; i < s.codes.length; i++) {
        const code = s.codes[i];
        if (code !== hiddenCode && !Number.isNaN(x[i]) && !Number.isNaN(y[i])) {
            members[code].push(i);
        }
    }
    const traces = members.map((points, entry) => {
        const marker = { size: s.sizes ? points.map(i => s.sizes[i]) : 5, opacity: 0.8 };
        if (s.colourByValue[entry]) {
            marker.color = points.map(i => s.values[i]);
            marker.colorscale = 'Viridis';
            marker.cmin = s.valueMin;
            marker.cmax = s.valueMax;
            marker.showscale = true;
            marker.colorbar = { title: { text: s.valueTitle ?? '' }, thickness: 14 };
        } else {
            marker.color = s.colours[entry];
        }
        return {
            type: map.webgl ? 'scattergl' : 'scatter',
            mode: 'markers',
            name: `${s.names[entry]} (${s.counts[entry].toLocaleString('en-US')})`,
            x: points.map(i => x[i]),
            y: points.map(i => y[i]),
            // The position into the payload: what a hover asks the server about.
            customdata: points,
            hoverinfo: 'none',
            marker,
        };
    });
    map.element.dataset.tracesBuiltMs = String(Math.round(performance.now()));
    const layout = {
        autosize: true,
        showlegend: true,
        height: 620,
        paper_bgcolor: 'rgba(0,0,0,0)',
        plot_bgcolor: 'rgba(0,0,0,0)',
        font: { color: '#8a8a8a' },
        margin: { l: 40, r: 20, t: 20, b: 40 },
        hovermode: 'closest',
        dragmode: map.element._fullLayout?.dragmode ?? 'zoom',
        legend: { itemsizing: 'constant' },
        xaxis: { zeroline: false, gridcolor: 'rgba(128,128,128,0.2)' },
        yaxis: { zeroline: false, gridcolor: 'rgba(128,128,128,0.2)' },
        // Zoom and pan survive a recolour, not a new projection.
        uirevision: map.revision,
    };
    await window.Plotly.react(map.element, traces, layout, { responsive: true, displaylogo: false });
    map.element.dataset.drawnMs = String(Math.round(performance.now()));
    map.element.dataset.pointCount = String(members.reduce((n, p) => n + p.length, 0));
    map.element.dataset.traceType = map.webgl ? 'scattergl' : 'scatter';
    subscribe(map);
}

function subscribe(map) {
    if (map.subscribed) {
        return;
    }
    map.subscribed = true;
    map.element.on('plotly_click', event => {
        const point = event.points?.[0];
        if (!point) {
            return;
        }
        map.dotnet.invokeMethodAsync('OnPointClicked', map.sampleIndex[point.customdata]);
    });
    map.element.on('plotly_selected', event => {
        // Legend entries switched off by a legend click: their points are not on screen, so not selected either.
        const hidden = (map.element.data ?? []).flatMap((trace, entry) => trace.visible === 'legendonly' ? [entry] : []);
        if (!event) {
            map.dotnet.invokeMethodAsync('OnSelectionCleared');
        } else if (event.range?.x && event.range?.y) {
            map.dotnet.invokeMethodAsync('OnBoxSelected', event.range.x[0], event.range.x[1], event.range.y[0], event.range.y[1], hidden);
        } else if (event.lassoPoints?.x) {
            const step = Math.max(1, Math.ceil(event.lassoPoints.x.length / maxLassoVertices));
            const xs = event.lassoPoints.x.filter((_, i) => i % step === 0);
            const ys = event.lassoPoints.y.filter((_, i) => i % step === 0);
            map.dotnet.invokeMethodAsync('OnLassoSelected', xs, ys, hidden);
        }
    });
    map.element.on('plotly_deselect', () => map.dotnet.invokeMethodAsync('OnSelectionCleared'));
    map.element.on('plotly_hover', event => { showHover(map, event).catch(() => hideHover(map)); });
    map.element.on('plotly_unhover', () => hideHover(map));
}
