// Small browser helpers of the sample and review pages.

// The character offset in the original text of a DOM position inside a TokenText container: every segment span carries
// data-start, and its only child is its text, so a text-node offset adds to the span's start.
function offsetOf(container, node, offset) {
    if (node.nodeType === Node.TEXT_NODE) {
        const span = node.parentElement.closest('[data-start]');
        return span && container.contains(span) ? Number(span.dataset.start) + offset : null;
    }
    // An element position: between its children. Take the start of the child after it, else the end of the one before.
    const children = node.childNodes;
    if (offset < children.length) {
        const after = children[offset].nodeType === Node.ELEMENT_NODE ? children[offset].closest('[data-start]') ?? children[offset].querySelector('[data-start]') : null;
        if (after && container.contains(after)) {
            return Number(after.dataset.start);
        }
    }
    if (offset > 0) {
        const before = children[offset - 1];
        const span = before.nodeType === Node.ELEMENT_NODE ? (before.matches('[data-end]') ? before : [...before.querySelectorAll('[data-end]')].pop()) : null;
        if (span && container.contains(span)) {
            return Number(span.dataset.end);
        }
    }
    const own = node.nodeType === Node.ELEMENT_NODE ? node.closest('[data-start]') : null;
    return own && container.contains(own) ? Number(own.dataset.start) : null;
}

// Clicking a button may collapse the selection before the click reaches the server, so the last selection made inside each
// token text is remembered until it is used.
const remembered = new Map();

function currentOffsets(container) {
    const selection = window.getSelection();
    if (!container || !selection || selection.rangeCount === 0 || selection.isCollapsed) {
        return null;
    }
    const range = selection.getRangeAt(0);
    if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) {
        return null;
    }
    const start = offsetOf(container, range.startContainer, range.startOffset);
    const end = offsetOf(container, range.endContainer, range.endOffset);
    return start === null || end === null || end <= start ? null : { start, end };
}

document.addEventListener('selectionchange', () => {
    for (const container of document.querySelectorAll('.token-text[id]')) {
        const offsets = currentOffsets(container);
        if (offsets) {
            remembered.set(container.id, { ...offsets, text: container.textContent });
        }
    }
});

/** The selection as [start, end) character offsets of the text shown in the element with this id (the current one, else
 *  the last one made there and not yet used), or null. */
export function selectionOffsets(containerId) {
    const container = document.getElementById(containerId);
    const current = currentOffsets(container);
    const last = remembered.get(containerId);
    remembered.delete(containerId);
    if (current) {
        return current;
    }
    // A selection made in another text (the page moved on to another sample since) does not count.
    return last && container && last.text === container.textContent ? { start: last.start, end: last.end } : null;
}

/** Sends single-key shortcuts (no modifiers, not while typing) to dotNet.OnShortcut(key); returns a handle with dispose(). */
export function attachShortcuts(dotNet, keys) {
    const wanted = new Set(keys.map(k => k.toLowerCase()));
    const handler = event => {
        const target = event.target;
        if (event.ctrlKey || event.altKey || event.metaKey || event.repeat
            || (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)))) {
            return;
        }
        const key = event.key.toLowerCase();
        if (wanted.has(key)) {
            event.preventDefault();
            dotNet.invokeMethodAsync('OnShortcut', key);
        }
    };
    document.addEventListener('keydown', handler);
    return { dispose: () => document.removeEventListener('keydown', handler) };
}

/** Scrolls the element with this id into view when it is outside it. */
export function reveal(id) {
    document.getElementById(id)?.scrollIntoView({ block: 'nearest' });
}
