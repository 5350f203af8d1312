import { rawCanvas } from './images.js';

// The images carried between panels: generated samples and scored uploads picked by the user, sent as
// multipart "image" parts to /score and /attack. Panels listen for "change".

export const selection = new EventTarget();
const items = new Map(); // key → {key, name, blob, url}

export function selected() {
  return [...items.values()];
}

export function isSelected(key) {
  return items.has(key);
}

/** Adds the image, or removes it when it is already selected; returns whether it is selected now. */
export function toggle(key, name, blob) {
  if (items.has(key)) {
    remove(key);
    return false;
  }
  items.set(key, { key, name, blob, url: URL.createObjectURL(blob) });
  changed();
  return true;
}

export function remove(key) {
  const item = items.get(key);
  if (item) {
    URL.revokeObjectURL(item.url);
    items.delete(key);
    changed();
  }
}

export function clear() {
  [...items.keys()].forEach(k => items.delete(k));
  changed();
}

/** The selected images as a multipart body with one "image" part each. */
export function formData(list = selected()) {
  const form = new FormData();
  list.forEach(item => form.append('image', item.blob, item.name));
  return form;
}

function changed() {
  selection.dispatchEvent(new Event('change'));
}

/** Renders the tray under the header: one thumbnail per selected image; pressing one removes it. */
export function mountTray(tray) {
  const list = tray.querySelector('[data-testid=selection-list]');
  const count = tray.querySelector('[data-testid=selection-count]');
  const empty = tray.querySelector('[data-testid=selection-empty]');
  const clearButton = tray.querySelector('[data-testid=selection-clear]');
  clearButton.addEventListener('click', clear);
  selection.addEventListener('change', () => {
    const all = selected();
    count.textContent = String(all.length);
    empty.hidden = all.length > 0;
    clearButton.hidden = all.length === 0;
    list.replaceChildren(...all.map(item => {
      const li = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.title = `${item.name}: press to remove from the selection`;
      button.setAttribute('aria-label', `Remove ${item.name} from the selection`);
      button.append(document.createElement('canvas'));
      rawCanvas(item.blob, button.firstChild);
      button.addEventListener('click', () => remove(item.key));
      li.append(button);
      return li;
    }));
  });
}
