package dev.forger.service.imaging;

/**
 * Lays a batch out as one mosaic image: a near-square grid (columns = ceil(sqrt(n))) with a
 * {@code gap}-pixel black border between and around the tiles, still in model space so that the
 * result goes through the same PNG path as single images.
 */
public final class GridComposer {
    private GridComposer() {}

    public static ImageBatch compose(ImageBatch batch, int gap) {
        ImageShape tile = batch.shape();
        int n = batch.count();
        int cols = (int) Math.ceil(Math.sqrt(n));
        int rows = (n + cols - 1) / cols;
        int height = rows * tile.height() + (rows + 1) * gap;
        int width = cols * tile.width() + (cols + 1) * gap;
        ImageShape gridShape = new ImageShape(tile.channels(), height, width);
        float[] grid = new float[gridShape.size()];
        java.util.Arrays.fill(grid, -1f); // black
        float[] src = batch.data();
        for (int i = 0; i < n; i++) {
            int top = gap + (i / cols) * (tile.height() + gap);
            int left = gap + (i % cols) * (tile.width() + gap);
            for (int c = 0; c < tile.channels(); c++) {
                for (int y = 0; y < tile.height(); y++) {
                    int from = i * tile.size() + (c * tile.height() + y) * tile.width();
                    int to = (c * height + top + y) * width + left;
                    System.arraycopy(src, from, grid, to, tile.width());
                }
            }
        }
        return new ImageBatch(gridShape, 1, grid);
    }
}
