// The population map's browser half. Plotly.Blazor's PlotlyChart re-sends the whole figure on every update and reports
// a selection as every selected point's x, y and text (100k points overflow Blazor's 32 KB hub message limit), so the
// map keeps its coordinates here, received ONCE per run and projection, and each recolour, resize or filter only sends
// one byte per point (its legend entry), plus float32 values for a colour bar and one size byte per point. Selections
// go back as the box or lasso shape; the server knows which points lie inside. Hover labels are fetched per point when
// the pointer rests on one (sending all of them made a 100k-point payload 10 times larger) and shown as plain text.
// Plotly.js is plotly.js's gl2d bundle (scatter and scattergl), vendored at the release Plotly.Blazor serves (no CDN);
// the server hands over its URL (startLoadingPlotly) right after importing this module. The map keeps the Plotly it drew
// with: another page's chart may later load Plotly.Blazor's full bundle over window.Plotly, and a page that already has
// that full bundle lends it to the map instead.
// Running Plotly's script and its first WebGL draw take most of a first draw (in headless Chromium on 2 cores the full
// 4.8 MB bundle ran 0.95-1.46 s, the 1.6 MB gl2d one 0.33-0.73 s, and the first draw 0.4-0.8 s of the main thread),
// and while the script runs no interop message from the server is handled. So the script is only fetched early (a
// preload link, startLoadingPlotly, while the server sends the points) and run once the points have been painted on a
// plain canvas (drawPreview), which already answers hover and click; Plotly's interactive plot (zoom, pan, box and
// lasso, legend) then replaces the canvas. (A preload in the page's head, tried too, slowed the circuit's start by
// about 0.4 s.)
const hiddenCode = 255;
const maxLassoVertices = 400;
const maps = new Map();
let plotlyUrl = null;
let plotlyLoading = null;
// The Plotly the map draws with (see the top of this file).
let plotly = null;

// Starts fetching Plotly (running it waits for the preview): called once the module is imported, while the server
// still prepares the run's points.
export function startLoadingPlotly(url) {
    plotlyUrl = url;
    const preloaded = [...document.querySelectorAll('link[rel=preload][as=script]')].some(link => link.href === new URL(url, document.baseURI).href);
    if (!window.Plotly && !preloaded) {
        const link = document.createElement('link');
        link.rel = 'preload';
        link.as = 'script';
        link.href = url;
        document.head.appendChild(link);
    }
}

function loadPlotly() {
    if (plotly) {
        return Promise.resolve();
    }
    if (window.Plotly) {
        plotly = window.Plotly;
        return Promise.resolve();
    }
    if (!plotlyLoading) {
        plotlyLoading = new Promise((resolve, reject) => {
            const script = document.createElement('script');
            script.src = plotlyUrl;
            script.async = true;
            script.onload = () => {
                plotly = window.Plotly;
                resolve();
            };
            script.onerror = () => {
                plotlyLoading = null;
                reject(new Error(`could not load ${plotlyUrl}`));
            };
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
    if (!plotly && !map.drawn && !map.preview && drawPreview(map)) {
        // Let the browser show the canvas before Plotly's script holds the main thread.
        await new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve, 0)));
        element.dataset.previewDrawnMs = String(Math.round(performance.now()));
    }
    await loadPlotly();
    element.dataset.plotlyReadyMs ??= String(Math.round(performance.now()));
    await render(map);
}

export function dispose(element) {
    const map = maps.get(element);
    map?.tooltip?.remove();
    map?.preview?.remove();
    if (maps.delete(element) && plotly) {
        plotly.purge(element);
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

// Plotly's Viridis colour scale (marker.colorscale 'Viridis'), for the preview, which runs before Plotly is there.
const viridis = ['#440154', '#48186a', '#472d7b', '#424086', '#3b528b', '#33638d', '#2c728e', '#26828e', '#21918c',
    '#1fa088', '#28ae80', '#3fbc73', '#5ec962', '#84d44b', '#addc30', '#d8e219', '#fde725'];
const plotHeight = 620;
const margin = { l: 40, r: 20, t: 20, b: 40 };

// A CSS colour as RGBA bytes packed the way a little-endian Uint32Array over ImageData reads them (alpha 0.8, as the plot).
function packedColour(context, css) {
    context.fillStyle = '#000000';
    context.fillStyle = css;
    const hex = /^#([0-9a-f]{6})$/i.exec(context.fillStyle);
    const rgb = hex ? parseInt(hex[1], 16) : 0x808080;
    return ((204 << 24) | ((rgb & 0xff) << 16) | (rgb & 0xff00) | (rgb >> 16)) >>> 0;
}

// Plotly's autorange for markers: the extremes sit 5 % of the axis length plus a marker radius inside the ends.
function paddedRange(values, points, length, radius) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const members of points) {
        for (let k = 0; k < members.length; k++) {
            const v = values[members[k]];
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
    }
    if (!(hi > lo)) {
        return [lo - 1, hi + 1];
    }
    const padPx = 0.05 * length + radius;
    const pad = (hi - lo) * padPx / Math.max(1, length - 2 * padPx);
    return [lo - pad, hi + pad];
}

// Paints every point at once on a canvas where the plot area will be, so a first draw is not kept waiting for Plotly's
// script and its WebGL start-up; the interactive plot replaces it (render). Layout sizes are estimates (the legend's
// width is Plotly's to decide), so the points may move a few pixels when it does. False when there is no room.
function drawPreview(map) {
    const s = map.style;
    const width = map.element.clientWidth;
    const longestName = Math.max(0, ...s.names.map((n, e) => n.length + String(s.counts[e]).length + 3));
    const legend = Math.min(0.45 * width, 7 * longestName + 50) + (s.colourByValue.some(b => b) ? 80 : 0);
    const w = Math.floor(width - margin.l - margin.r - legend);
    const h = plotHeight - margin.t - margin.b;
    if (w < 50) {
        return false;
    }
    const members = membersOf(map);
    const maxSize = s.sizes ? s.sizes.reduce((m, v) => Math.max(m, v), 1) : 5;
    const [x0, x1] = paddedRange(map.x, members, w, maxSize / 2);
    const [y0, y1] = paddedRange(map.y, members, h, maxSize / 2);
    const canvas = document.createElement('canvas');
    canvas.width = w;
    canvas.height = h;
    canvas.dataset.testid = 'map-preview';
    Object.assign(canvas.style, { position: 'absolute', left: `${margin.l}px`, top: `${margin.t}px`, zIndex: '1' });
    const context = canvas.getContext('2d');
    const entryColours = s.colours.map(c => packedColour(context, c));
    const scale = viridis.map(c => packedColour(context, c));
    const image = context.createImageData(w, h);
    const pixels = new Uint32Array(image.data.buffer);
    const disks = new Map();
    const disk = size => {
        if (!disks.has(size)) {
            const r = Math.max(0.5, size / 2);
            const offsets = [];
            for (let dy = -Math.ceil(r); dy <= Math.ceil(r); dy++) {
                for (let dx = -Math.ceil(r); dx <= Math.ceil(r); dx++) {
                    if (dx * dx + dy * dy <= r * r) {
                        offsets.push([dx, dy]);
                    }
                }
            }
            disks.set(size, offsets);
        }
        return disks.get(size);
    };
    const span = s.valueMax - s.valueMin || 1;
    const total = members.reduce((n, p) => n + p.length, 0);
    const drawnAt = { position: new Int32Array(total), px: new Int32Array(total), py: new Int32Array(total), radius: new Float32Array(total) };
    let drawn = 0;
    members.forEach((points, entry) => {
        for (let k = 0; k < points.length; k++) {
            const i = points[k];
            const px = Math.round((map.x[i] - x0) / (x1 - x0) * (w - 1));
            const py = Math.round((y1 - map.y[i]) / (y1 - y0) * (h - 1));
            const colour = s.colourByValue[entry]
                ? scale[Math.round(Math.min(1, Math.max(0, (s.values[i] - s.valueMin) / span)) * (scale.length - 1))]
                : entryColours[entry];
            const size = s.sizes ? s.sizes[i] : 5;
            drawnAt.position[drawn] = i;
            drawnAt.px[drawn] = px;
            drawnAt.py[drawn] = py;
            drawnAt.radius[drawn] = Math.max(0.5, size / 2);
            for (const [dx, dy] of disk(size)) {
                const qx = px + dx;
                const qy = py + dy;
                if (qx >= 0 && qx < w && qy >= 0 && qy < h) {
                    pixels[qy * w + qx] = colour;
                }
            }
            drawn++;
        }
    });
    context.putImageData(image, 0, 0);
    map.element.appendChild(canvas);
    map.preview = canvas;
    answerPointer(map, canvas, new PixelGrid(drawnAt, w, h));
    map.element.dataset.previewPointCount = String(drawn);
    return true;
}

// The preview's points by the pixel cell they were painted in, so the point under the pointer is found without a scan.
class PixelGrid {
    static cell = 8;

    constructor(drawnAt, width, height) {
        this.drawnAt = drawnAt;
        this.columns = Math.ceil(width / PixelGrid.cell);
        this.rows = Math.ceil(height / PixelGrid.cell);
        const cellOf = k => this.cellAt(drawnAt.px[k], drawnAt.py[k]);
        const n = drawnAt.position.length;
        this.start = new Int32Array(this.columns * this.rows + 1);
        for (let k = 0; k < n; k++) {
            this.start[cellOf(k) + 1]++;
        }
        for (let c = 0; c < this.columns * this.rows; c++) {
            this.start[c + 1] += this.start[c];
        }
        const filled = this.start.slice(0, -1);
        this.members = new Int32Array(n);
        for (let k = 0; k < n; k++) {
            this.members[filled[cellOf(k)]++] = k;
        }
    }

    cellAt(px, py) {
        const column = Math.min(this.columns - 1, Math.max(0, Math.floor(px / PixelGrid.cell)));
        const row = Math.min(this.rows - 1, Math.max(0, Math.floor(py / PixelGrid.cell)));
        return row * this.columns + column;
    }

    // The position (into the payload) of the point painted nearest (px, py) within its radius plus a little slack, the
    // one painted last (on top) among equals; -1 when none.
    pointAt(px, py) {
        const slack = 2;
        const reach = 1 + Math.ceil(16 / PixelGrid.cell);
        const { px: xs, py: ys, radius, position } = this.drawnAt;
        const column = Math.floor(px / PixelGrid.cell);
        const row = Math.floor(py / PixelGrid.cell);
        let best = -1;
        let bestDistance = Infinity;
        for (let r = Math.max(0, row - reach); r <= Math.min(this.rows - 1, row + reach); r++) {
            for (let c = Math.max(0, column - reach); c <= Math.min(this.columns - 1, column + reach); c++) {
                const cell = r * this.columns + c;
                for (let m = this.start[cell]; m < this.start[cell + 1]; m++) {
                    const k = this.members[m];
                    const distance = Math.hypot(xs[k] - px, ys[k] - py);
                    if (distance <= radius[k] + slack && (distance < bestDistance || (distance === bestDistance && k > best))) {
                        best = k;
                        bestDistance = distance;
                    }
                }
            }
        }
        return best < 0 ? -1 : position[best];
    }
}

// Hover labels and clicks on the preview, the same as on the plot that replaces it.
function answerPointer(map, canvas, grid) {
    let current = -1;
    const pointAt = event => {
        const box = canvas.getBoundingClientRect();
        return grid.pointAt(event.clientX - box.left, event.clientY - box.top);
    };
    canvas.addEventListener('mousemove', event => {
        const position = pointAt(event);
        canvas.style.cursor = position < 0 ? 'default' : 'pointer';
        if (position === current) {
            return;
        }
        current = position;
        if (position < 0) {
            hideHover(map);
        } else {
            showHover(map, { points: [{ customdata: position }], event }).catch(() => hideHover(map));
        }
    });
    canvas.addEventListener('mouseleave', () => {
        current = -1;
        hideHover(map);
    });
    canvas.addEventListener('click', event => {
        const position = pointAt(event);
        if (position >= 0) {
            map.dotnet.invokeMethodAsync('OnPointClicked', map.sampleIndex[position]);
        }
    });
}

// Positions of the drawn points per legend entry (filtered out and coordinate-less ones left out), in payload order.
function membersOf(map) {
    const { x, y } = map;
    const codes = map.style.codes;
    const counts = new Int32Array(map.style.names.length);
    const drawable = i => codes[i] !== hiddenCode && !Number.isNaN(x[i]) && !Number.isNaN(y[i]);
    for (let i = 0; i < codes.length; i++) {
        if (drawable(i)) {
            counts[codes[i]]++;
        }
    }
    const members = Array.from(counts, n => new Int32Array(n));
    const filled = new Int32Array(counts.length);
    for (let i = 0; i < codes.length; i++) {
        if (drawable(i)) {
            members[codes[i]][filled[codes[i]]++] = i;
        }
    }
    return members;
}

// Typed arrays throughout: Plotly takes them as they are, where plain arrays of 100k boxed numbers cost time to build.
const gather = (values, points, Type) => {
    const out = new Type(points.length);
    for (let k = 0; k < points.length; k++) {
        out[k] = values[points[k]];
    }
    return out;
};

async function render(map) {
    hideHover(map);
    const { x, y } = map;
    const s = map.style;
    const members = membersOf(map);
    const traces = members.map((points, entry) => {
        const marker = { size: s.sizes ? gather(s.sizes, points, Uint8Array) : 5, opacity: 0.8 };
        if (s.colourByValue[entry]) {
            marker.color = gather(s.values, points, Float32Array);
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
            x: gather(x, points, Float32Array),
            y: gather(y, points, Float32Array),
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
        height: plotHeight,
        paper_bgcolor: 'rgba(0,0,0,0)',
        plot_bgcolor: 'rgba(0,0,0,0)',
        font: { color: '#8a8a8a' },
        margin: { ...margin },
        hovermode: 'closest',
        dragmode: map.element._fullLayout?.dragmode ?? 'zoom',
        legend: { itemsizing: 'constant' },
        xaxis: { zeroline: false, gridcolor: 'rgba(128,128,128,0.2)' },
        yaxis: { zeroline: false, gridcolor: 'rgba(128,128,128,0.2)' },
        // Zoom and pan survive a recolour, not a new projection.
        uirevision: map.revision,
    };
    await plotly.react(map.element, traces, layout, { responsive: true, displaylogo: false });
    map.element.dataset.drawnMs = String(Math.round(performance.now()));
    map.drawn = true;
    map.preview?.remove();
    map.preview = null;
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
