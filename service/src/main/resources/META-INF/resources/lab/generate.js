// The Generate panel: a seeded (or random) batch as clickable samples, and the same batch as downloads.
import { busy, json, query } from './api.js';
import { pngBlob, rawCanvas } from './images.js';
import { isSelected, selection, toggle } from './selection.js';

export function mount(panel, lab) {
  const form = panel.querySelector('[data-testid=generate-form]');
  const count = form.querySelector('[data-testid=generate-count]');
  const seed = form.querySelector('[data-testid=generate-seed]');
  const button = form.querySelector('[data-testid=generate-button]');
  const grid = panel.querySelector('[data-testid=generated-grid]');
  const info = panel.querySelector('[data-testid=generate-info]');
  const downloads = panel.querySelector('[data-testid=generate-downloads]');

  form.addEventListener('submit', async event => {
    event.preventDefault();
    const model = lab.model.name;
    const n = Number(count.value);
    const body = { model, count: n, format: 'json' };
    if (seed.value !== '') {
      body.seed = Number(seed.value);
    }
    const answer = await busy(panel, `Generating ${n} image${n === 1 ? '' : 's'}…`, () => json('api/v1/generate', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }), [button]);
    if (!answer) {
      return;
    }
    grid.replaceChildren(...answer.images.map(image => sample(model, answer.seed, image)));
    info.textContent = `${answer.images.length} samples of ${model} from seed ${answer.seed}`
        + ' — press a sample to select it for scoring and attacks.';
    const link = format => `api/v1/generate${query({ count: n, seed: answer.seed, model, format })}`;
    downloads.querySelector('[data-testid=download-png]').href = link(n === 1 ? 'png' : 'grid');
    downloads.querySelector('[data-testid=download-npy]').href = link('npy');
    downloads.querySelector('[data-testid=download-zip]').href = link('zip');
    downloads.hidden = false;
  });

  selection.addEventListener('change', () => grid.querySelectorAll('button').forEach(b => {
    b.setAttribute('aria-pressed', String(isSelected(b.dataset.key)));
  }));
}

function sample(model, seed, image) {
  const key = `${model}/seed-${seed}/${image.index}`;
  const name = `${model}-seed${seed}-${image.index}.png`;
  const blob = pngBlob(image.png);
  const button = document.createElement('button');
  button.type = 'button';
  button.dataset.key = key;
  button.setAttribute('aria-pressed', String(isSelected(key)));
  button.setAttribute('aria-label', `Sample ${image.index} of seed ${seed}`);
  button.title = name;
  button.append(document.createElement('canvas'));
  rawCanvas(blob, button.firstChild);
  button.addEventListener('click', () => toggle(key, name, blob));
  return button;
}
