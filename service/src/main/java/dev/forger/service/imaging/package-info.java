/**
 * Image codecs: uploads (PNG/JPEG, .npy) into model space and conformed to a model's shape, and
 * model outputs back out as PNG, grid mosaics, zips and .npy. No ONNX Runtime here.
 */
package dev.forger.service.imaging;
