// The Evaluate panel: compose an ε sweep, start it as a job (POST /api/v1/evaluate → 202), watch its progress
// and partial chart, cancel it (DELETE), and open earlier evaluations: the service's history
// (GET /api/v1/evaluations) where it keeps one, else the jobs started from this browser.
import { busy, json, Problem, query, request, showError } from './api.js';

const POLL_MS = 700;
const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);
/** Ids of the evaluations started here, newest first, so a reload can still open them while the service keeps them. */
const STARTED_KEY = 'forger-lab-evaluations';

export function mount(panel, lab) {
  const form = panel.querySelector('[data-testid=evaluate-form]');
  const start = form.querySelector('[data-testid=evaluate-start]');
  const cancel = form.querySelector('[data-testid=evaluate-cancel]');
  const attacks = form.querySelector('[data-testid=evaluate-attacks]');
  const goal = form.querySelector('[data-testid=evaluate-goal]');
  const view = panel.querySelector('[data-testid=evaluate-view]');
  const state = view.querySelector('[data-testid=evaluate-state]');
  const progress = view.querySelector('[data-testid=evaluate-progress]');
  const progressText = view.querySelector('[data-testid=evaluate-progress-text]');
  const chart = view.querySelector('[data-testid=evaluate-chart]');
  const report = view.querySelector('[data-testid=evaluate-report]');
  const jobs = panel.querySelector('[data-testid=evaluate-jobs]');
  const historyNote = panel.querySelector('[data-testid=evaluate-history-note]');
  const errorBox = panel.querySelector(':scope > [data-testid=error]');
  let current; // {id, timer, done}

  lab.catalog().then(catalog => {
    goal.replaceChildren(...catalog.goals.map(g => new Option(g, g)));
    attacks.append(...catalog.methods.map(m => {
      const label = document.createElement('label');
      label.className = 'check';
      const box = Object.assign(document.createElement('input'), { type: 'checkbox', value: m.method });
      box.dataset.testid = `evaluate-attack-${m.method}`;
      label.append(box, m.method);
      return label;
    }));
  }, e => showError(errorBox, e));

  form.addEventListener('submit', async event => {
    event.preventDefault();
    let epsilons;
    try {
      epsilons = parseEpsilons(form.elements.epsilons.value);
    } catch (e) {
      showError(errorBox, e);
      return;
    }
    const body = { model: lab.model.name, count: Number(form.elements.count.value), goal: goal.value };
    if (form.elements.seed.value !== '') {
      body.seed = Number(form.elements.seed.value);
    }
    if (epsilons) {
      body.epsilons = epsilons;
    }
    const ticked = [...attacks.querySelectorAll('input:checked')].map(b => ({ method: b.value }));
    if (ticked.length > 0) {
      body.attacks = ticked;
    }
    const job = await busy(panel, 'Starting the evaluation…', () => json('api/v1/evaluate', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }), [start]);
    if (job) {
      remember(job.id);
      watch(job.id);
      listJobs();
    }
  });

  cancel.addEventListener('click', async () => {
    if (!current) {
      return;
    }
    const id = current.id;
    const status = await busy(panel, 'Cancelling…', () => json(`api/v1/evaluate/${id}`, { method: 'DELETE' }), [cancel]);
    if (status && current?.id === id) {
      await refresh(id);
    }
    listJobs();
  });

  /** Shows job {@code id} and polls it until it ends; another job's polling stops. */
  function watch(id) {
    if (current) {
      clearTimeout(current.timer);
    }
    current = { id, done: -1 };
    view.dataset.jobId = id;
    view.hidden = false;
    chart.hidden = true;
    report.replaceChildren();
    jobs.querySelectorAll('button').forEach(b => b.setAttribute('aria-current', String(b.dataset.id === id)));
    poll(id);
  }

  async function poll(id) {
    const ended = await refresh(id);
    if (!ended && current?.id === id) {
      current.timer = setTimeout(() => poll(id), POLL_MS);
    }
  }

  /** One look at the job: state, progress, and the chart when more runs have finished. Returns whether it ended. */
  async function refresh(id) {
    let status;
    try {
      status = await json(`api/v1/evaluate/${id}`);
    } catch (e) {
      showError(errorBox, e);
      cancel.disabled = true;
      return true;
    }
    if (current?.id !== id) {
      return true;
    }
    const { done, total } = status.progress;
    const ended = TERMINAL.has(status.state);
    state.textContent = `Evaluation ${id.slice(0, 8)}: ${status.state}${status.error ? ` — ${status.error}` : ''}`;
    progress.max = Math.max(total, 1);
    progress.value = done;
    progress.setAttribute('aria-valuetext', `${done} of ${total} units`);
    progressText.textContent = `${done} / ${total} units`;
    cancel.disabled = ended;
    if (done !== current.done && done > 0 || ended && current.done !== -2) {
      current.done = ended ? -2 : done;
      await drawChart(id);
      renderReport(report, status.report);
    }
    return ended;
  }

  async function drawChart(id) {
    try {
      // fetched rather than set as src: a cache-busting query parameter would be refused as unknown
      const blob = await (await request(`api/v1/evaluate/${id}/chart`, { cache: 'no-store' })).blob();
      URL.revokeObjectURL(chart.src);
      chart.src = URL.createObjectURL(blob);
      chart.hidden = false;
    } catch (e) {
      showError(errorBox, e);
    }
  }

  /** The service's history when it keeps one; else the evaluations started from this browser. */
  async function listJobs() {
    let entries;
    try {
      if (!await lab.hasEndpoint('/api/v1/evaluations')) {
        throw new Problem({ status: 404, title: 'No history' });
      }
      const history = await json(`api/v1/evaluations${query({ model: lab.model?.name, limit: 20 })}`);
      entries = history.map(h => ({ id: h.id, state: h.state, text: describe(h) }));
      historyNote.textContent = 'The service keeps these evaluations; press one to open it.';
    } catch (e) {
      if (!(e instanceof Problem) || ![404, 405].includes(e.problem.status)) {
        showError(errorBox, e);
      }
      historyNote.textContent = 'This service keeps no history (GET /api/v1/evaluations is not there): listed are'
          + ' the evaluations started from this browser, which the service keeps for forger.evaluation.retention.';
      entries = started().map(id => ({ id, text: id }));
    }
    const shown = entries.map(e => `${e.id} ${e.text}`).join('\n');
    if (jobs.dataset.shown === shown) {
      return; // unchanged: keep the buttons (and the keyboard focus on one of them)
    }
    jobs.dataset.shown = shown;
    jobs.replaceChildren(...entries.map(entry => {
      const li = document.createElement('li');
      const button = Object.assign(document.createElement('button'), { type: 'button', textContent: entry.text });
      button.dataset.id = entry.id;
      button.setAttribute('aria-current', String(current?.id === entry.id));
      button.addEventListener('click', () => watch(entry.id));
      li.append(button);
      return li;
    }));
  }

  lab.addEventListener('model', listJobs);
}

/** "2/255, 0.0314" → [0.00784…, 0.0314]; empty → undefined (the service's default sweep). */
export function parseEpsilons(text) {
  const parts = text.split(',').map(s => s.trim()).filter(Boolean);
  if (parts.length === 0) {
    return undefined;
  }
  return parts.map(part => {
    const fraction = /^([\d.]+)\s*\/\s*255$/.exec(part);
    const value = fraction ? Number(fraction[1]) / 255 : Number(part);
    if (!Number.isFinite(value) || value <= 0) {
      throw new Problem({ title: 'Not an ε', field: 'epsilons',
        detail: `'${part}' is not a positive number; write pixel units such as 0.0314 or grey levels such as 8/255` });
    }
    return value;
  });
}

function describe(h) {
  const methods = (h.parameters?.attacks || []).map(a => a.method).join(', ');
  const images = h.parameters?.images ? `${h.parameters.images.count} ${h.parameters.images.source} images` : '';
  return [h.created?.replace('T', ' ').slice(0, 19), h.state, images, methods, h.id.slice(0, 8)].filter(Boolean).join(' · ');
}

function started() {
  try {
    return JSON.parse(localStorage.getItem(STARTED_KEY) || '[]');
  } catch {
    return [];
  }
}

function remember(id) {
  localStorage.setItem(STARTED_KEY, JSON.stringify([id, ...started().filter(x => x !== id)].slice(0, 20)));
}

/** The report as a table: success rate per attack (rows) and ε (columns); minimal attacks with their median L2. */
function renderReport(container, report) {
  if (!report) {
    container.replaceChildren();
    return;
  }
  const table = document.createElement('table');
  table.className = 'results report';
  const caption = table.createCaption();
  caption.textContent = 'Success rate per attack and ε (pixel units; ×255 in grey levels)';
  const head = table.createTHead().insertRow();
  const epsilons = report.epsilons || [];
  ['attack', ...epsilons.map(e => `${e.toFixed(4)} (${(e * 255).toFixed(1)})`), 'median L2'].forEach(text => {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = text;
    head.append(th);
  });
  const body = table.createTBody();
  const bounded = new Map();
  for (const point of report.sweep || []) {
    const key = `${point.method} ${point.norm}`;
    bounded.set(key, { ...(bounded.get(key) || {}), [point.epsilon]: point.successRate });
  }
  for (const [key, rates] of bounded) {
    const row = body.insertRow();
    row.insertCell().textContent = key;
    epsilons.forEach(e => { row.insertCell().textContent = e in rates ? `${Math.round(100 * rates[e])} %` : '…'; });
    row.insertCell().textContent = '';
  }
  for (const run of report.minimal || []) {
    const row = body.insertRow();
    row.insertCell().textContent = `${run.method} (minimal)`;
    epsilons.forEach(() => { row.insertCell().textContent = ''; });
    row.insertCell().textContent = `${run.medianL2 == null ? '—' : run.medianL2.toFixed(3)}, ${Math.round(100 * run.successRate)} % flipped`;
  }
  container.replaceChildren(table);
}
