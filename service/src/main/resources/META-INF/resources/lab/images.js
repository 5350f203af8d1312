// Pixels in the browser: base64 PNGs from the API, the amplified perturbation between two images, and .npy
// batches drawn as pictures (the browser cannot show an .npy file; the service's npy is float32 [N,C,H,W]
// in [-1, 1], or uint8 [N,H,W] / [N,H,W,C] as /score accepts it).

export function pngBlob(base64) {
  const bytes = Uint8Array.from(atob(base64), c => c.charCodeAt(0));
  return new Blob([bytes], { type: 'image/png' });
}

/**
 * An image blob drawn on a canvas with its stored pixel values, ignoring any embedded colour profile. The
 * service's grey PNGs carry a linear-gamma grey ICC profile, which an <img> would honour and so show every dark
 * pixel much brighter than the model sees it (8/255 looks like 49/255): a perturbation would look six times
 * larger than it is. Here a pixel of value v is drawn as grey v, as numpy or matplotlib would show it.
 */
export async function rawCanvas(blob, canvas = document.createElement('canvas')) {
  const bitmap = await createImageBitmap(blob, { colorSpaceConversion: 'none' });
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  canvas.getContext('2d').drawImage(bitmap, 0, 0);
  bitmap.close();
  canvas.dataset.drawn = 'true';
  return canvas;
}

/** The stored RGBA pixels of an image blob (no colour-profile conversion, see rawCanvas). */
export async function pixels(blob) {
  const canvas = await rawCanvas(blob);
  return canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
}

/**
 * The perturbation adversarial − original, amplified so that its largest change spans half the grey range,
 * drawn on mid grey (brighter: pixels the attack raised). Null when the sizes differ (the service resized
 * the upload, so the two are not pixel for pixel comparable). Returns {canvas, factor}.
 */
export function perturbation(original, adversarial) {
  if (original.width !== adversarial.width || original.height !== adversarial.height) {
    return null;
  }
  let largest = 0;
  const n = original.data.length;
  for (let i = 0; i < n; i += 4) {
    for (let c = 0; c < 3; c++) {
      largest = Math.max(largest, Math.abs(adversarial.data[i + c] - original.data[i + c]));
    }
  }
  const factor = largest === 0 ? 1 : 127 / largest;
  const out = new ImageData(original.width, original.height);
  for (let i = 0; i < n; i += 4) {
    for (let c = 0; c < 3; c++) {
      out.data[i + c] = Math.round(128 + factor * (adversarial.data[i + c] - original.data[i + c]));
    }
    out.data[i + 3] = 255;
  }
  return { canvas: canvasOf(out), factor };
}

export function canvasOf(imageData) {
  const canvas = document.createElement('canvas');
  canvas.width = imageData.width;
  canvas.height = imageData.height;
  canvas.getContext('2d').putImageData(imageData, 0, 0);
  return canvas;
}

/** The images of an .npy file as ImageData, or throws an Error saying why it cannot be drawn. */
export function npyImages(buffer) {
  const bytes = new Uint8Array(buffer);
  if (bytes[0] !== 0x93 || String.fromCharCode(...bytes.slice(1, 6)) !== 'NUMPY') {
    throw new Error('not an .npy file');
  }
  const major = bytes[6];
  const headerLength = major === 1 ? bytes[8] | (bytes[9] << 8) : new DataView(buffer).getUint32(8, true);
  const start = (major === 1 ? 10 : 12) + headerLength;
  const header = new TextDecoder().decode(bytes.slice(major === 1 ? 10 : 12, start));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const shape = (/'shape':\s*\(([^)]*)\)/.exec(header)?.[1] || '').split(',').map(s => s.trim()).filter(Boolean).map(Number);
  if (/True/.test(/'fortran_order':\s*(\w+)/.exec(header)?.[1] || '')) {
    throw new Error('Fortran-ordered .npy');
  }
  const float = descr === '<f4';
  if (!float && descr !== '|u1') {
    throw new Error(`dtype ${descr}`);
  }
  const values = float ? new Float32Array(buffer.slice(start)) : bytes.subarray(start);
  // float32 [N,C,H,W]; uint8 [N,H,W] or [N,H,W,C]
  const [count, channels, height, width] = float ? shape
      : shape.length === 3 ? [shape[0], 1, shape[1], shape[2]] : [shape[0], shape[3], shape[1], shape[2]];
  const images = [];
  for (let k = 0; k < count; k++) {
    const image = new ImageData(width, height);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const rgb = [0, 1, 2].map(c => {
          const ch = Math.min(c, channels - 1);
          const v = float ? values[((k * channels + ch) * height + y) * width + x]
              : values[((k * height + y) * width + x) * channels + ch];
          return float ? Math.round((Math.max(-1, Math.min(1, v)) + 1) * 127.5) : v;
        });
        image.data.set([...rgb, 255], (y * width + x) * 4);
      }
    }
    images.push(image);
  }
  return images;
}
