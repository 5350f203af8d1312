package dev.forger.service.imaging;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Rows of images in one 8-bit picture, each tile scaled up by a whole factor (nearest neighbour: pixels
 * stay pixels), rows left-aligned on black, with an optional label (such as "+", "-", "=") left of each
 * row. Walks are one row per segment; latent arithmetic one row per concept and one for the result.
 */
public final class RowFigure {
    private RowFigure() {}

    /**
     * @param labels one per row, or null for none
     * @param gap    black pixels between and around tiles (not scaled)
     */
    public static BufferedImage draw(List<ImageBatch> rows, List<String> labels, int gap, int scale) {
        ImageShape tile = rows.get(0).shape();
        int tw = tile.width() * scale;
        int th = tile.height() * scale;
        int columns = rows.stream().mapToInt(ImageBatch::count).max().orElse(1);
        int labelWidth = labels == null ? 0 : Math.max(16, th / 2);
        int width = labelWidth + columns * tw + (columns + 1) * gap;
        int height = rows.size() * th + (rows.size() + 1) * gap;
        int type = tile.channels() == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR;
        BufferedImage figure = new BufferedImage(width, height, type);
        Graphics2D g = figure.createGraphics();
        try {
            g.setColor(Color.BLACK);
            g.fillRect(0, 0, width, height);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            for (int r = 0; r < rows.size(); r++) {
                int top = gap + r * (th + gap);
                ImageBatch row = rows.get(r);
                for (int i = 0; i < row.count(); i++) {
                    g.drawImage(Rasters.toImage(row, i), labelWidth + gap + i * (tw + gap), top, tw, th, null);
                }
                if (labels != null && labels.get(r) != null) {
                    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
                    g.setColor(Color.WHITE);
                    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(10, labelWidth * 3 / 4)));
                    int textWidth = g.getFontMetrics().stringWidth(labels.get(r));
                    g.drawString(labels.get(r), Math.max(0, (labelWidth + gap - textWidth) / 2),
                            top + th / 2 + g.getFontMetrics().getAscent() / 3);
                }
            }
        } finally {
            g.dispose();
        }
        return figure;
    }

    /** One image of a batch scaled up by a whole factor (nearest neighbour). */
    public static BufferedImage scaled(ImageBatch batch, int index, int scale) {
        return draw(List.of(new ImageBatch(batch.shape(), 1, batch.image(index))), null, 0, scale);
    }
}
