package dev.forger.trainer.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * A directory tree of PNG and JPEG images (by extension; other files are ignored), taken in the order
 * of their paths relative to the root, each fitted to {@code imageSize x imageSize} by
 * {@link ImageResizer} (scale the shorter side, crop the centre) and returned as RGB.
 *
 * <p>The label is the digit of the parent directory when its name is a single digit 0-9 (the
 * {@code root/3/img.png} layout of class folders), otherwise -1. Alpha is ignored. Any image that
 * cannot be decoded fails the whole load with the list of such files: silently training on fewer
 * images than the user thinks is worse than stopping.
 */
public final class ImageFolderDataset {

    private static final int MAX_LISTED = 10;

    private ImageFolderDataset() {
    }

    /** Reads the first {@code limit} images (all when 0) in path order. */
    public static ImageSet read(Path root, int imageSize, int limit) {
        List<Path> files = imageFiles(root);
        if (limit > 0 && files.size() > limit) {
            files = files.subList(0, limit);
        }
        int outPlane = imageSize * imageSize;
        byte[] pixels = new byte[files.size() * 3 * outPlane];
        int[] labels = new int[files.size()];
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            BufferedImage image;
            try {
                image = ImageIO.read(file.toFile());
            } catch (IOException | RuntimeException e) {
                bad.add(root.relativize(file) + " (" + e.getMessage() + ")");
                continue;
            }
            if (image == null) {
                bad.add(root.relativize(file) + " (not a PNG/JPEG ImageIO can decode)");
                continue;
            }
            int[] fitted = ImageResizer.fitSquare(packedRgb(image), image.getWidth(), image.getHeight(), imageSize);
            ImageConversions.writePlanar(fitted, 3, pixels, i * 3 * outPlane);
            labels[i] = labelOf(file);
        }
        if (!bad.isEmpty()) {
            throw new DatasetException(root, bad.size() + " of " + files.size() + " images cannot be read: "
                    + String.join(", ", bad.subList(0, Math.min(MAX_LISTED, bad.size())))
                    + (bad.size() > MAX_LISTED ? ", …" : "") + "; fix or remove them");
        }
        return new ImageSet("folder:" + root.getFileName(), 3, imageSize, imageSize, pixels, labels);
    }

    private static List<Path> imageFiles(Path root) {
        if (!Files.exists(root)) {
            throw new DatasetException(root, "not found; pass a directory of PNG/JPEG images with --data");
        }
        if (!Files.isDirectory(root)) {
            throw new DatasetException(root, "is not a directory; the folder dataset reads a directory tree of PNG/JPEG images");
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).filter(ImageFolderDataset::isImageName)
                    .sorted((a, b) -> root.relativize(a).toString().compareTo(root.relativize(b).toString()))
                    .collect(Collectors.toList());
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new DatasetException(root, "cannot be listed: " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new DatasetException(root, "holds no .png, .jpg or .jpeg files (searched recursively)");
        }
        return files;
    }

    private static boolean isImageName(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return !name.startsWith(".") && (name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg"));
    }

    private static int labelOf(Path file) {
        Path parent = file.getParent();
        String name = parent == null || parent.getFileName() == null ? "" : parent.getFileName().toString();
        return name.length() == 1 && Character.isDigit(name.charAt(0)) ? name.charAt(0) - '0' : -1;
    }

    /**
     * The image's colours as packed 0xRRGGBB. Grey and RGB images are read from their raster samples as
     * stored in the file: {@link BufferedImage#getRGB} would treat a grey PNG as linear light and
     * brighten it on the way to sRGB. Palette and other colour models go through getRGB.
     */
    static int[] packedRgb(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] out = new int[w * h];
        ColorModel cm = image.getColorModel();
        int spaceType = cm.getColorSpace().getType();
        boolean direct = !(cm instanceof IndexColorModel)
                && (spaceType == ColorSpace.TYPE_GRAY && cm.getNumColorComponents() == 1
                    || cm.getColorSpace().isCS_sRGB() && cm.getNumColorComponents() == 3);
        if (!direct) {
            image.getRGB(0, 0, w, h, out, 0, w);
            for (int i = 0; i < out.length; i++) {
                out[i] &= 0xFFFFFF;
            }
            return out;
        }
        Raster raster = image.getRaster();
        int colours = cm.getNumColorComponents();
        int[][] bands = new int[colours][];
        for (int b = 0; b < colours; b++) {
            bands[b] = raster.getSamples(raster.getMinX(), raster.getMinY(), w, h, b, (int[]) null);
            int max = (1 << cm.getComponentSize(b)) - 1;
            if (max != 255) {
                for (int i = 0; i < bands[b].length; i++) {
                    bands[b][i] = (int) Math.round(bands[b][i] * 255.0 / max);
                }
            }
        }
        for (int i = 0; i < out.length; i++) {
            int r = bands[0][i];
            int g = colours == 3 ? bands[1][i] : r;
            int b = colours == 3 ? bands[2][i] : r;
            out[i] = r << 16 | g << 8 | b;
        }
        return out;
    }
}
