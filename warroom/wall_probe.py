"""JavaScript that watches the wall in a browser, frame by frame (browser tests and bench/soak.py).

No Streamlit here: the script is evaluated in the page by playwright. `INSTALL` starts a
requestAnimationFrame loop (rAF callbacks run just before each paint, so every painted frame
is checked) that records, in `window.__wallFrames`:
- `mixed`: frames whose visible title, stamp and content belong to different panels, frames
  with a partly drawn panel (no end marker, a chart not yet drawn) or with not exactly one
  visible slot — only after the first complete frame (the very first draw is not a change);
- `changes`: each change of the panel on screen, with the time its first complete frame was
  painted and the server's tick time (`data-tick-ms` of the swap element; same machine clock).
`SNAPSHOT` returns the current frame's facts, for sampling from Python.
"""
from __future__ import annotations

FRAME_FN = r"""
function wallFrame() {
  const opacity = el => { let o = 1; for (let e = el; e && e !== document.body; e = e.parentElement)
                            o *= parseFloat(getComputedStyle(e).opacity); return o; };
  const slots = [...document.querySelectorAll('[class*="st-key-wall-slot-"]')]
      .filter(s => s.getBoundingClientRect().height > 0 && opacity(s) > 0);
  const out = {visible: slots.length, title: null, titleText: null, stamp: null, content: null,
               complete: false, charts: 0, chartsDrawn: 0, at: Date.now()};
  if (slots.length !== 1) return out;
  const slot = slots[0];
  const bar = slot.querySelector('.wr-wallbar');
  const stamp = slot.querySelector('.wr-stamp');
  const ends = slot.querySelectorAll('.wr-panel-end');
  out.title = bar ? bar.dataset.panel : null;
  out.titleText = bar ? (bar.querySelector('.wr-title') || {}).textContent : null;
  out.stamp = stamp ? stamp.dataset.panel : null;
  out.content = ends.length === 1 ? ends[0].dataset.panel : (ends.length ? 'several' : null);
  const charts = [...slot.querySelectorAll('.stPlotlyChart, .js-plotly-plot')]
      .filter(e => e.classList.contains('js-plotly-plot') || !e.querySelector('.js-plotly-plot'));
  out.charts = charts.length;
  out.chartsDrawn = charts.filter(c => c.querySelector('.main-svg .cartesianlayer, .main-svg .plot')).length;
  out.complete = !!out.title && out.title === out.stamp && out.title === out.content
                 && out.charts === out.chartsDrawn;
  return out;
}
"""

INSTALL = "() => {" + FRAME_FN + r"""
  if (window.__wallFrames) return;
  const log = window.__wallFrames = {frames: 0, mixed: [], changes: [], lastComplete: null, started: false};
  const loop = () => {
    const f = wallFrame();
    log.frames += 1;
    if (f.complete) {
      if (log.started && f.title !== log.lastComplete) {
        const swap = document.querySelector('.wr-swap');
        log.changes.push({panel: f.title, from: log.lastComplete, at: f.at,
                          tickMs: swap ? parseInt(swap.dataset.tickMs) : null});
      }
      log.started = true;
      log.lastComplete = f.title;
    } else if (log.started && log.mixed.length < 50) {
      log.mixed.push(f);
    }
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
}"""

SNAPSHOT = "() => {" + FRAME_FN + " return wallFrame(); }"

RESULT = "() => window.__wallFrames"

# Every visible text on screen (HTML and SVG text of the charts) with its computed font size,
# smallest first. Visible: inside the viewport, not in a hidden slot (opacity 0), not
# display:none / visibility:hidden, with a non-empty box. Returns [{px, text, tag}].
FONTS = r"""() => {
  const opacity = el => { let o = 1; for (let e = el; e && e !== document.documentElement; e = e.parentElement)
                            o *= parseFloat(getComputedStyle(e).opacity); return o; };
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = n.textContent.trim();
    const el = n.parentElement;
    if (!text || !el || ['STYLE', 'SCRIPT', 'NOSCRIPT', 'TITLE'].includes(el.tagName)) continue;
    // Exception (docs/wall.md): Streamlit's "Skip to main content" link, drawn only on keyboard focus.
    if (el.closest('[data-testid=stSkipToContent]') && document.activeElement !== el) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') continue;
    const range = document.createRange(); range.selectNodeContents(n);
    const r = range.getBoundingClientRect();
    if (r.width < 1 || r.height < 1 || r.bottom <= 0 || r.right <= 0 || r.top >= innerHeight || r.left >= innerWidth) continue;
    // clipped away by an ancestor with overflow hidden (the panel area)
    let clipped = false;
    for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.overflow === 'hidden' || s.overflowY === 'hidden') {
        const b = e.getBoundingClientRect();
        if (r.top >= b.bottom || r.bottom <= b.top || r.left >= b.right || r.right <= b.left) { clipped = true; break; }
      }
    }
    if (clipped || opacity(el) === 0) continue;
    out.push({px: parseFloat(style.fontSize), text: text.slice(0, 60), tag: el.tagName.toLowerCase(),
              cls: (el.getAttribute('class') || '').slice(0, 40)});
  }
  return out.sort((a, b) => a.px - b.px);
}"""
