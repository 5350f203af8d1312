// Live numbers from the service's own Prometheus metrics (/q/metrics): API requests per second, mean batch
// size and mean queue wait of the chosen model over the last interval — differences of counters between
// two scrapes, as Prometheus's rate() would compute them.

const INTERVAL_MS = 2000;

/** Prometheus text format → [{name, labels, value}] (comments and malformed lines skipped). */
export function parseMetrics(text) {
  const samples = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) {
      continue;
    }
    const labels = {};
    for (const [, key, value] of (m[2] || '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
      labels[key] = value;
    }
    samples.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return samples;
}

/** The counters the panel shows, summed over the series that match. */
export function totals(samples, model) {
  const sum = (name, keep = () => true) => samples.filter(s => s.name === name && keep(s.labels))
      .reduce((total, s) => total + s.value, 0);
  const ofModel = labels => !model || labels.model === model;
  return {
    requests: sum('http_server_requests_seconds_count', l => (l.uri || '').startsWith('/api/')),
    batches: sum('forger_batch_size_count', ofModel),
    images: sum('forger_batch_size_sum', ofModel),
    waits: sum('forger_queue_seconds_count', ofModel),
    waited: sum('forger_queue_seconds_sum', ofModel),
    at: performance.now(),
  };
}

export function mount(group, lab) {
  const rate = group.querySelector('[data-testid=live-rate]');
  const batch = group.querySelector('[data-testid=live-batch]');
  const queue = group.querySelector('[data-testid=live-queue]');
  let previous;

  async function scrape() {
    try {
      const response = await fetch('q/metrics', { headers: { Accept: 'text/plain' }, cache: 'no-store' });
      if (!response.ok) {
        throw new Error(`HTTP ${response.status}`);
      }
      const now = totals(parseMetrics(await response.text()), lab.model?.name);
      if (previous) {
        const seconds = (now.at - previous.at) / 1000;
        const batches = now.batches - previous.batches;
        const waits = now.waits - previous.waits;
        rate.textContent = ((now.requests - previous.requests) / seconds).toFixed(1);
        batch.textContent = batches > 0 ? ((now.images - previous.images) / batches).toFixed(1) : 'idle';
        queue.textContent = waits > 0 ? `${(1000 * (now.waited - previous.waited) / waits).toFixed(1)} ms` : 'idle';
      }
      previous = now;
      group.title = '';
    } catch (e) {
      group.title = `metrics unavailable: ${e.message}`;
      rate.textContent = batch.textContent = queue.textContent = '?';
    }
    setTimeout(scrape, INTERVAL_MS);
  }

  lab.addEventListener('model', () => { previous = undefined; });
  scrape();
}
