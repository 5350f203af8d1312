// The Forger lab: one page over the public REST API (/api/v1, /q/metrics). Each panel is a module with a
// mount function; they share the chosen model and the selected images.
import { busy, json } from './api.js';
import { mountTray } from './selection.js';
import * as models from './models.js';
import * as generate from './generate.js';
import * as score from './score.js';
import * as attack from './attack.js';
import * as evaluate from './evaluate.js';
import * as live from './live.js';

/** What the panels share: the model chosen in the header, and a "model" event when it changes. */
class Lab extends EventTarget {
  constructor(select) {
    super();
    this.select = select;
    this.models = [];
  }

  get model() {
    return this.models.find(m => m.name === this.select.value);
  }

  /**
   * Whether the service has an endpoint, from its OpenAPI document: panels ask before using endpoints that
   * other versions of the service lack, rather than provoke 404s.
   */
  async hasEndpoint(path) {
    this.openApi ??= json('q/openapi?format=json').catch(() => ({ paths: {} }));
    return path in ((await this.openApi).paths || {});
  }

  /** GET /api/v1/attacks, asked once: the methods with their parameters, defaults and limits. */
  catalog() {
    this.catalogAnswer ??= json('api/v1/attacks');
    return this.catalogAnswer;
  }
}

async function start() {
  const select = document.querySelector('[data-testid=model-select]');
  const lab = new Lab(select);
  const $ = id => document.getElementById(id);
  mountTray(document.querySelector('[data-testid=selection]'));
  generate.mount($('generate'), lab);
  score.mount($('score'), lab);
  attack.mount($('attack'), lab);
  evaluate.mount($('evaluate'), lab);
  live.mount(document.querySelector('[data-testid=live-numbers]'), lab);

  const listing = await busy($('models'), 'Loading the models…', () => json('api/v1/models'), [select]);
  if (!listing) {
    return;
  }
  lab.models = listing.models;
  select.replaceChildren(...listing.models.map(m => new Option(`${m.name} (${m.version})`, m.name)));
  select.value = listing.defaultModel;
  models.mount($('models'), lab, listing);
  select.addEventListener('change', () => lab.dispatchEvent(new Event('model')));
  lab.dispatchEvent(new Event('model'));
  document.body.dataset.ready = 'true';
}

start();
