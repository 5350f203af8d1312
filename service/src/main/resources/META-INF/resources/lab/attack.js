// The Attack panel. Its form is built from GET /api/v1/attacks — methods, norms, every parameter with the
// service's own default and range — and runs POST /api/v1/attack on the selected images, showing original,
// amplified perturbation and adversarial side by side with the verdicts, norms and model calls.
import { busy, json, query } from './api.js';
import { canvasOf, perturbation, pixels, pngBlob } from './images.js';
import { formData, isSelected, selected, selection, toggle } from './selection.js';

/** The result's images stay alive while shown; revoked when the next result replaces them. */
let shownUrls = [];

export function mount(panel, lab) {
  const form = panel.querySelector('[data-testid=attack-form]');
  const methodSelect = form.querySelector('[data-testid=attack-method]');
  const normSelect = form.querySelector('[data-testid=attack-norm]');
  const about = form.querySelector('[data-testid=attack-about]');
  const params = form.querySelector('[data-testid=attack-params]');
  const run = form.querySelector('[data-testid=attack-run]');
  const hint = form.querySelector('[data-testid=attack-hint]');
  const result = panel.querySelector('[data-testid=attack-result]');
  let catalog;

  const method = () => catalog.methods.find(m => m.method === methodSelect.value);

  function renderNorms() {
    const m = method();
    const previous = normSelect.value;
    normSelect.replaceChildren(...m.norms.map(n => new Option(n === 'linf' ? 'L∞' : 'L2', n)));
    normSelect.value = m.norms.includes(previous) ? previous : m.norms[0];
    normSelect.disabled = m.norms.length === 1;
    about.textContent = [
      m.usesGradients ? 'white-box: gradients of the discriminator' : 'black-box: forward calls only',
      m.epsilonBounded ? 'bounded by ε' : 'minimal perturbation: finds the smallest change itself, no ε',
      m.norms.length === 1 ? `${m.norms[0] === 'linf' ? 'L∞' : 'L2'} only` : '',
    ].filter(Boolean).join(' · ');
    renderParameters();
  }

  function renderParameters() {
    const list = method().parameters[normSelect.value].filter(p => p.name !== 'quantize');
    params.replaceChildren(...list.map(field));
    updateDerived(params, normSelect.value);
  }

  function updateHint() {
    const n = selected().length;
    hint.textContent = n === 0 ? 'Select images first: press generated samples or scored uploads.'
        : `${n} image${n === 1 ? '' : 's'} selected.`;
  }

  params.addEventListener('input', () => updateDerived(params, normSelect.value));
  methodSelect.addEventListener('change', renderNorms);
  normSelect.addEventListener('change', renderParameters);
  selection.addEventListener('change', updateHint);
  updateHint();

  lab.addEventListener('model', () => {
    if (catalog) {
      markUnavailable(methodSelect, catalog, lab.model);
    }
  });

  form.addEventListener('submit', async event => {
    event.preventDefault();
    const images = selected();
    if (images.length === 0) {
      updateHint();
      return;
    }
    if (!form.reportValidity()) {
      return;
    }
    const m = method();
    const values = { model: lab.model.name, method: m.method, format: 'json' };
    if (normSelect.value !== m.norms[0]) {
      values.norm = normSelect.value;
    }
    params.querySelectorAll('[data-param]').forEach(input => {
      const value = input.type === 'checkbox' ? String(input.checked) : input.value.trim();
      if (value !== '') {
        values[input.dataset.param] = value;
      }
    });
    const resize = document.querySelector('[data-testid=score-resize]')?.value;
    if (resize && resize !== 'false') {
      values.resize = resize;
    }
    const answer = await busy(panel, `Attacking ${images.length} image${images.length === 1 ? '' : 's'} with ${m.method}…`,
        () => json(`api/v1/attack${query(values)}`, { method: 'POST', body: formData(images),
          headers: { Accept: 'application/json' } }), [run]);
    if (answer) {
      await show(result, answer, images);
    }
  });

  (async () => {
    catalog = await busy(panel, 'Loading the attack catalog…', () => lab.catalog(), [run]);
    if (!catalog) {
      return;
    }
    methodSelect.replaceChildren(...catalog.methods.map(m => new Option(m.method, m.method)));
    // /attack names no default method; the form starts on PGD, the usual first attack to try
    methodSelect.value = catalog.methods.some(m => m.method === 'pgd') ? 'pgd' : catalog.methods[0].method;
    if (lab.model) {
      markUnavailable(methodSelect, catalog, lab.model);
    }
    renderNorms();
  })();
}

/** White-box methods cannot run on a model without gradients: disabled, with the reason in their label. */
function markUnavailable(select, catalog, model) {
  for (const option of select.options) {
    const m = catalog.methods.find(x => x.method === option.value);
    option.disabled = model.gradients === 'none' && m.usesGradients;
    option.textContent = option.disabled ? `${m.method} (needs gradients)` : m.method;
  }
}

/** One labelled control for a catalog parameter, with the service's default filled in and its range set. */
function field(p) {
  const label = document.createElement('label');
  label.title = p.description || '';
  const caption = document.createElement('span');
  caption.textContent = p.name === 'epsilon' ? 'ε (epsilon)' : p.name;
  let input;
  if (p.type === 'boolean') {
    label.className = 'check';
    input = document.createElement('input');
    input.type = 'checkbox';
    input.checked = p.default === true;
    label.append(input, caption);
  } else if (p.choices) {
    input = document.createElement('select');
    input.append(...p.choices.map(c => new Option(c, c)));
    input.value = p.default;
    label.append(caption, input);
  } else {
    input = document.createElement('input');
    input.type = 'number';
    input.step = p.type === 'integer' ? '1' : 'any';
    if (p.minimum !== undefined) input.min = String(p.minimum);
    if (p.maximum !== undefined) input.max = String(p.maximum);
    if (p.stepFactor !== undefined) {
      // left empty: the service derives it from the ε and steps sent; the placeholder says what it will be
      input.dataset.stepFactor = String(p.stepFactor);
    } else {
      input.value = String(p.default);
    }
    input.addEventListener('input', () => checkRange(input, p));
    const extra = document.createElement('small');
    extra.dataset.derived = p.name;
    label.append(caption, input, extra);
  }
  input.dataset.param = p.name;
  input.dataset.testid = p.name === 'epsilon' ? 'attack-epsilon' : `attack-param-${p.name}`;
  input.setAttribute('aria-label', `${p.name}: ${p.description || ''}${rangeText(p)}`);
  return label;
}

function rangeText(p) {
  if (p.minimum === undefined && p.maximum === undefined) {
    return '';
  }
  return ` (${p.exclusiveMinimum ? '>' : '≥'} ${p.minimum}${p.maximum !== undefined ? `, ≤ ${p.maximum}` : ''})`;
}

/** HTML's min is inclusive; the service refuses ε = 0 and other exclusive minimums, so say so before sending. */
function checkRange(input, p) {
  const v = Number(input.value);
  input.setCustomValidity(input.value !== '' && p.exclusiveMinimum && v <= p.minimum
      ? `${p.name} must be greater than ${p.minimum}` : '');
}

/** ε in grey levels for L∞, and the step size the service will derive when the field is left empty. */
function updateDerived(params, norm) {
  const get = name => params.querySelector(`[data-param=${name}]`);
  const epsilon = get('epsilon');
  const steps = get('steps');
  const note = params.querySelector('[data-derived=epsilon]');
  if (epsilon && note) {
    note.textContent = norm === 'linf' && epsilon.value !== '' ? `= ${(Number(epsilon.value) * 255).toFixed(1)}/255` : '';
  }
  const stepSize = get('stepSize');
  if (stepSize?.dataset.stepFactor && epsilon && steps) {
    const derived = Number(stepSize.dataset.stepFactor) * Number(epsilon.value) / Number(steps.value);
    stepSize.placeholder = Number.isFinite(derived) ? `auto: ${derived.toPrecision(3)}` : 'auto';
    params.querySelector('[data-derived=stepSize]').textContent = `empty: ${stepSize.dataset.stepFactor} × ε / steps`;
  }
}

async function show(container, answer, images) {
  shownUrls.forEach(URL.revokeObjectURL);
  shownUrls = [];
  const summary = document.createElement('p');
  summary.className = 'note';
  const succeeded = answer.results.filter(r => r.success).length;
  summary.textContent = `${answer.method}: ${succeeded} of ${answer.results.length} reached the goal in ${answer.elapsedMs} ms`
      + ` — ${Object.entries(answer.parameters).map(([k, v]) => `${k} ${typeof v === 'number' ? +v.toPrecision(4) : v}`).join(', ')}`;
  summary.dataset.testid = 'attack-summary';
  const rows = await Promise.all(answer.results.map(r => figure(r, images[r.index], answer.method)));
  container.replaceChildren(summary, ...rows);
  container.hidden = false;
}

/** original | perturbation ×k | adversarial, then the numbers, for one image. */
async function figure(r, original, method) {
  const row = document.createElement('div');
  row.className = 'figure';
  row.dataset.testid = 'attack-figure';
  const adversarialBlob = pngBlob(r.image);
  const adversarialUrl = URL.createObjectURL(adversarialBlob);
  shownUrls.push(adversarialUrl);
  const before = await pixels(original.blob);
  const after = await pixels(adversarialBlob);
  const delta = perturbation(before, after);

  const cell = (node, caption) => {
    const f = document.createElement('figure');
    const c = document.createElement('figcaption');
    c.textContent = caption;
    f.append(node, c);
    return f;
  };
  const picture = (data, label) => {
    const canvas = canvasOf(data);
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', label);
    return canvas;
  };
  const verdict = v => `P(real) ${v.realProbability.toFixed(4)}, ${v.logit > 0 ? 'real' : 'fake'}`;

  const facts = document.createElement('div');
  facts.className = 'facts';
  const outcome = r.alreadyAtGoal ? 'already at the goal: left as it was'
      : r.success ? '✓ reached the goal' : '✗ did not reach the goal';
  const lines = [
    ['', outcome],
    ['before: ', verdict(r.original)],
    ['after: ', verdict(r.adversarial)],
    ['L∞ ', `${r.linf.toFixed(4)} (${(r.linf * 255).toFixed(1)}/255) · L2 ${r.l2.toFixed(4)}`],
    ['calls: ', `${r.gradientCalls} gradient, ${r.forwardCalls} forward`],
  ];
  facts.append(...lines.map(([k, v]) => {
    const p = document.createElement('div');
    const b = document.createElement('b');
    b.textContent = k;
    p.append(b, v);
    return p;
  }));
  const name = original.name.replace(/\.[^.]*$/, '');
  const download = Object.assign(document.createElement('a'), { href: adversarialUrl, download: `${name}-${method}.png`,
    textContent: 'download the adversarial PNG' });
  download.dataset.testid = 'attack-download';
  const key = `adversarial/${name}/${method}/${r.linf}/${r.l2}`;
  const pick = document.createElement('button');
  pick.type = 'button';
  pick.className = 'pick';
  pick.dataset.key = key;
  pick.textContent = 'select';
  pick.setAttribute('aria-pressed', String(isSelected(key)));
  pick.setAttribute('aria-label', `Select the adversarial ${name} for scoring or another attack`);
  pick.addEventListener('click', () => {
    pick.setAttribute('aria-pressed', String(toggle(key, `${name}-${method}.png`, adversarialBlob)));
  });
  const actions = document.createElement('div');
  actions.append(download, ' · ', pick);
  facts.append(actions);

  row.append(
    cell(picture(before, `original ${original.name}`), `original, ${r.original.logit > 0 ? 'real' : 'fake'}`),
    delta ? cell(Object.assign(delta.canvas, { ariaLabel: `perturbation amplified ${delta.factor.toFixed(0)} times` }),
      `perturbation ×${delta.factor.toFixed(0)}`)
      : cell(document.createElement('canvas'), 'resized by the service: no pixel difference'),
    cell(picture(after, `adversarial ${original.name}`), `adversarial, ${r.adversarial.logit > 0 ? 'real' : 'fake'}`),
    facts);
  return row;
}
