// The Model panel: the chosen bundle's manifest as the service reports it, and 64 samples from seed 0.
import { busy, query, request } from './api.js';
import { rawCanvas } from './images.js';

const SAMPLE_SEED = 0;

export function mount(panel, lab, listing) {
  const manifest = panel.querySelector('[data-testid=model-manifest]');
  const samples = panel.querySelector('[data-testid=model-samples]');
  const note = document.querySelector('[data-testid=model-note]');
  const refused = panel.querySelector('[data-testid=model-refused]');
  refused.textContent = listing.refused.length === 0 ? ''
      : `Refused bundles: ${listing.refused.map(r => `${r.source}: ${r.reason}`).join('; ')}`;

  lab.addEventListener('model', async () => {
    const m = lab.model;
    note.textContent = m.description || '';
    manifest.replaceChildren(...rows(m).flatMap(([term, value]) => {
      const dt = document.createElement('dt');
      dt.textContent = term;
      const dd = document.createElement('dd');
      dd.append(value);
      return [dt, dd];
    }));
    const blob = await busy(panel, `Drawing 64 samples of ${m.name}…`, async () => (await request(
        `api/v1/generate${query({ count: 64, format: 'grid', seed: SAMPLE_SEED, model: m.name })}`)).blob());
    if (blob) {
      await rawCanvas(blob, samples);
    }
  });
}

/** The manifest as [term, text or node] pairs, in reading order. */
function rows(m) {
  const t = m.training || {};
  const metrics = m.metrics || {};
  const rows = [
    ['name', `${m.name}, version ${m.version}`],
    ['image', `${m.image.channels} × ${m.image.height} × ${m.image.width} (channels × height × width)`],
    ['latent', latent(m.latent)],
    ['trained on', `${t.dataset ?? '—'}, ${t.epochs ?? '?'} epochs`],
  ];
  if (t.hyperparameters || t.command) {
    rows.push(['how', training(t)]);
  }
  if (Object.keys(metrics).length > 0) {
    rows.push(['metrics', Object.entries(metrics).map(([key, value]) => `${key} ${Array.isArray(value) ? value.join(' ')
        : typeof value === 'number' ? round(value) : String(value)}`).join(' · ')]);
  }
  rows.push(['gradients', m.gradients === 'none' ? 'none: forward-only attacks (spsa, square) only'
      : m.gradients === 'derived' ? 'derived from the discriminator at load' : `shipped: ${m.gradients}`]);
  if (m.files?.length) {
    rows.push(['files', m.files.map(f => `${f.file}${f.sha256 ? ` (sha256 ${f.sha256.slice(0, 8)}…)` : ''}`).join(', ')]);
  }
  return rows;
}

function latent(l) {
  const range = l.distribution === 'uniform' ? `[${l.low}, ${l.high}]` : `mean ${l.mean}, std ${l.std}`;
  return `${l.dim} values, ${l.distribution} ${range}`;
}

function round(v) {
  return Number.isInteger(v) ? String(v) : v.toPrecision(4);
}

/** Hyperparameters and the training command, folded: long, and needed only to reproduce the bundle. */
function training(t) {
  const details = document.createElement('details');
  const summary = document.createElement('summary');
  summary.textContent = 'hyperparameters and command';
  details.append(summary);
  if (t.hyperparameters) {
    const p = document.createElement('p');
    p.textContent = Object.entries(t.hyperparameters).map(([k, v]) => `${k} ${v}`).join(', ');
    details.append(p);
  }
  if (t.command) {
    const code = document.createElement('code');
    code.textContent = t.command;
    details.append(code);
  }
  return details;
}
