// The Score panel: uploads (chosen or dropped; PNG, JPEG, .npy, several at once) and the selected images,
// each shown with the discriminator's logit and P(real).
import { busy, json, query } from './api.js';
import { canvasOf, npyImages, rawCanvas } from './images.js';
import { isSelected, selected, selection, toggle } from './selection.js';

export function mount(panel, lab) {
  const input = panel.querySelector('[data-testid=score-input]');
  const drop = panel.querySelector('[data-testid=score-drop]');
  const resize = panel.querySelector('[data-testid=score-resize]');
  const scoreSelected = panel.querySelector('[data-testid=score-selected]');
  const table = panel.querySelector('[data-testid=score-result]');
  const rows = table.querySelector('tbody');

  /** Scores the files (or selected images) in one multipart request and lists each with its verdict. */
  async function score(entries, label) {
    const model = lab.model.name;
    const form = new FormData();
    entries.forEach(e => form.append('image', e.blob, e.name));
    const answer = await busy(panel, label, () => json(`api/v1/score${query({ model, resize: resize.value })}`,
        { method: 'POST', body: form }), [input, scoreSelected]);
    if (!answer) {
      return;
    }
    const pictures = (await Promise.all(entries.map(pictureOf))).flat();
    rows.replaceChildren(...answer.results.map(r => row(r, pictures[r.index])));
    table.hidden = false;
  }

  input.addEventListener('change', () => {
    const files = [...input.files];
    if (files.length > 0) {
      score(files.map(f => ({ name: f.name, blob: f, key: `upload/${f.name}/${f.size}/${f.lastModified}` })),
          `Scoring ${files.length} upload${files.length === 1 ? '' : 's'}…`);
    }
    input.value = '';
  });
  drop.addEventListener('dragover', e => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', e => {
    e.preventDefault();
    drop.classList.remove('over');
    const files = [...e.dataTransfer.files];
    if (files.length > 0) {
      score(files.map(f => ({ name: f.name, blob: f, key: `upload/${f.name}/${f.size}/${f.lastModified}` })),
          `Scoring ${files.length} dropped file${files.length === 1 ? '' : 's'}…`);
    }
  });
  scoreSelected.addEventListener('click', () => {
    const items = selected();
    if (items.length === 0) {
      panel.querySelector('[data-testid=status]').textContent = 'Nothing is selected: generate samples and press them first.';
      return;
    }
    score(items, `Scoring ${items.length} selected image${items.length === 1 ? '' : 's'}…`);
  });
  selection.addEventListener('change', () => rows.querySelectorAll('button.pick').forEach(b => {
    b.setAttribute('aria-pressed', String(isSelected(b.dataset.key)));
  }));
}

/**
 * What each upload looks like, one entry per image the service will score: an .npy file holds a batch and
 * is drawn here; an image file is shown as it is and can be selected for attacks.
 */
async function pictureOf(entry) {
  if (/\.npy$/i.test(entry.name) || entry.blob.type === 'application/x-npy') {
    try {
      return npyImages(await entry.blob.arrayBuffer()).map((image, i) => ({ name: `${entry.name}[${i}]`, image }));
    } catch (e) {
      return [{ name: entry.name }];
    }
  }
  return [{ name: entry.name, entry }];
}

function row(result, picture = { name: `image ${result.index}` }) {
  const tr = document.createElement('tr');
  const imageCell = document.createElement('td');
  if (picture.entry) {
    const canvas = document.createElement('canvas');
    rawCanvas(picture.entry.blob, canvas).catch(() => canvas.remove()); // the service said why it could not read it
    imageCell.append(canvas);
  } else if (picture.image) {
    imageCell.append(canvasOf(picture.image));
  }
  const name = document.createElement('span');
  name.className = 'name';
  name.textContent = ` ${picture.name}`;
  imageCell.append(name);

  const logit = document.createElement('td');
  logit.textContent = result.logit.toFixed(4);
  logit.dataset.testid = 'score-logit';
  const probability = document.createElement('td');
  probability.dataset.testid = 'score-probability';
  const bar = document.createElement('span');
  bar.className = 'bar';
  bar.setAttribute('role', 'img');
  bar.setAttribute('aria-label', `P(real) ${(100 * result.realProbability).toFixed(1)} %`);
  const fill = document.createElement('i');
  fill.style.width = `${100 * result.realProbability}%`;
  bar.append(fill);
  const verdict = document.createElement('span');
  verdict.className = result.logit > 0 ? 'real' : 'fake';
  verdict.textContent = `${result.realProbability.toFixed(4)} ${result.logit > 0 ? 'real' : 'fake'}`;
  probability.append(bar, verdict);

  const pick = document.createElement('td');
  if (picture.entry) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'pick';
    button.dataset.key = picture.entry.key;
    button.setAttribute('aria-pressed', String(isSelected(picture.entry.key)));
    button.setAttribute('aria-label', `Select ${picture.name} for attacks`);
    button.textContent = 'select';
    button.addEventListener('click', () => toggle(picture.entry.key, picture.entry.name, picture.entry.blob));
    pick.append(button);
  }
  tr.append(imageCell, logit, probability, pick);
  return tr;
}
