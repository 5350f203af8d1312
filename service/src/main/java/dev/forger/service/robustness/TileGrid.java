package dev.forger.service.robustness;

import dev.forger.service.imaging.ImageShape;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * The layout every figure of images shares: an optional caption, column headings, then rows of tiles (the model's
 * images scaled up without smoothing, so pixels stay pixels) with a few label lines under each. Drawn with Java2D:
 * a grid of tiles and strings needs no plotting library. {@link AttackFigure}, {@link VerdictFigure} and
 * {@link ManifoldGallery} decide what goes in the cells; this class alone decides where it goes.
 */
final class TileGrid {
    static final Color INK = new Color(0x22, 0x22, 0x22);
    static final Color SUCCESS = new Color(0x1b, 0x7f, 0x3b);
    static final Color FAILURE = new Color(0xb0, 0x2a, 0x2a);
    private static final int GAP = 8;

    /**
     * @param tilePixels     how large a tile is drawn (the image is scaled by a whole factor up to this)
     * @param minColumnWidth room for the labels when tiles are narrow
     * @param line           height of a text line
     * @param headingSize    font size of the column headings (bold), @param labelSize of the caption and labels
     */
    record Style(int tilePixels, int minColumnWidth, int line, int headingSize, int labelSize) {
        static final Style LARGE = new Style(96, 170, 14, 12, 11);
        static final Style SMALL = new Style(64, 150, 13, 11, 10);
    }

    /** One tile (null: left blank) and the lines under it, in {@code ink}. */
    record Cell(BufferedImage tile, Color ink, String... lines) {
        Cell(BufferedImage tile, String... lines) {
            this(tile, INK, lines);
        }
    }

    private TileGrid() {}

    /** @param caption a line above the headings, or null; every row has one cell per heading */
    static BufferedImage draw(Style style, ImageShape shape, String caption, List<String> headings, List<List<Cell>> rows) {
        int scale = Math.max(1, style.tilePixels() / Math.max(shape.height(), shape.width()));
        int tileW = shape.width() * scale;
        int tileH = shape.height() * scale;
        int colW = Math.max(tileW, style.minColumnWidth());
        int lines = rows.stream().flatMap(List::stream).mapToInt(c -> c.lines().length).max().orElse(0);
        int rowH = tileH + lines * style.line() + GAP;
        int head = (caption == null ? 1 : 2) * style.line() + GAP;
        int width = headings.size() * (colW + GAP) + GAP;
        int height = head + rows.size() * rowH;
        BufferedImage figure = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = figure.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(INK);
            int baseline = style.line();
            if (caption != null) {
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, style.labelSize()));
                g.drawString(caption, GAP, baseline);
                baseline += style.line();
            }
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, style.headingSize()));
            for (int c = 0; c < headings.size(); c++) {
                g.drawString(headings.get(c), GAP + c * (colW + GAP), baseline + 2);
            }
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, style.labelSize()));
            for (int r = 0; r < rows.size(); r++) {
                int top = head + r * rowH;
                List<Cell> row = rows.get(r);
                for (int c = 0; c < row.size(); c++) {
                    int left = GAP + c * (colW + GAP);
                    Cell cell = row.get(c);
                    if (cell.tile() != null) {
                        g.drawImage(cell.tile(), left, top, tileW, tileH, null);
                    }
                    g.setColor(cell.ink());
                    for (int l = 0; l < cell.lines().length; l++) {
                        g.drawString(cell.lines()[l], left, top + tileH + (l + 1) * style.line() - 2);
                    }
                }
            }
        } finally {
            g.dispose();
        }
        return figure;
    }
}
