// Calls to the public REST API, with what every panel needs around them: problem+json turned into readable
// errors, and a visible "what it is doing" for any request that takes longer than half a second.

export const BUSY_AFTER_MS = 500;

/** An RFC 9457 problem answered by the service (or made here when the answer was not one). */
export class Problem extends Error {
  constructor(problem) {
    super(problem.detail || problem.title || 'request failed');
    this.problem = problem;
  }
}

/**
 * fetch() that resolves to the Response when it is 2xx and throws a Problem otherwise.
 * A network failure (the service stopped, the connection refused) becomes a Problem too.
 */
export async function request(url, options = {}) {
  let response;
  try {
    response = await fetch(url, options);
  } catch (e) {
    throw new Problem({ title: 'The service did not answer', detail: `${e.message}; is it still running?` });
  }
  if (response.ok) {
    return response;
  }
  const type = response.headers.get('Content-Type') || '';
  if (type.includes('json')) {
    throw new Problem({ status: response.status, ...(await response.json()) });
  }
  throw new Problem({ status: response.status, title: response.statusText || `HTTP ${response.status}`,
    detail: (await response.text()).slice(0, 300) });
}

export async function json(url, options) {
  return (await request(url, options)).json();
}

/** A query string of the given entries, leaving out the empty ones; values are sent as typed. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') {
      q.append(name, String(value));
    }
  }
  const text = q.toString();
  return text ? `?${text}` : '';
}

/** Requests running longer than BUSY_AFTER_MS, shown in the header so work is visible from anywhere. */
const running = new Set();
let activityLine;

function showActivity() {
  activityLine ??= document.querySelector('[data-testid=activity]');
  const now = performance.now();
  activityLine.textContent = [...running].map(r => `${r.label} (${((now - r.start) / 1000).toFixed(1)} s)`).join(' · ');
}

/**
 * Runs {@code work} for a panel: clears its error, and once it has taken BUSY_AFTER_MS shows {@code label}
 * with a spinner and the elapsed seconds in the panel's status line and in the header, marks the panel
 * aria-busy, and disables {@code controls}. A Problem ends up in the panel's error box, in words.
 * Resolves to work's result, or undefined when it failed.
 */
export async function busy(panel, label, work, controls = []) {
  const status = panel.querySelector(':scope > [data-testid=status]');
  const errorBox = panel.querySelector(':scope > [data-testid=error]');
  hideError(errorBox);
  const entry = { label, start: performance.now() };
  controls.forEach(c => { c.disabled = true; });
  let ticker;
  const tick = () => {
    status.textContent = `${label} ${((performance.now() - entry.start) / 1000).toFixed(1)} s`;
    showActivity();
  };
  const shown = setTimeout(() => {
    running.add(entry);
    panel.setAttribute('aria-busy', 'true');
    status.classList.add('busy');
    tick();
    ticker = setInterval(tick, 100);
  }, BUSY_AFTER_MS);
  try {
    const result = await work();
    const took = performance.now() - entry.start;
    // a quick answer needs no word; a slow one says how long it took, so the wait made sense
    status.textContent = took < BUSY_AFTER_MS ? '' : `${label.replace(/…$/, '')}: done in ${(took / 1000).toFixed(1)} s`;
    return result;
  } catch (e) {
    status.textContent = '';
    showError(errorBox, e);
    return undefined;
  } finally {
    clearTimeout(shown);
    clearInterval(ticker);
    running.delete(entry);
    panel.removeAttribute('aria-busy');
    status.classList.remove('busy');
    showActivity();
    controls.forEach(c => { c.disabled = false; });
  }
}

/** Shows an error (a Problem's title, status, detail and field) in a panel's error box. */
export function showError(box, error) {
  const p = error instanceof Problem ? error.problem : { title: 'Something went wrong in the page', detail: String(error) };
  if (!(error instanceof Problem)) {
    console.warn(error);
  }
  box.replaceChildren();
  const title = document.createElement('strong');
  title.textContent = `${p.title || 'Error'}${p.status ? ` (${p.status})` : ''}`;
  const detail = document.createElement('span');
  detail.textContent = `${p.detail || ''}${p.field ? ` — field: ${p.field}` : ''}`;
  box.append(title, detail);
  box.hidden = false;
}

export function hideError(box) {
  box.hidden = true;
  box.replaceChildren();
}
