package dev.forger.service.imaging;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/**
 * Frames as one looping animated GIF, through the JDK's own GIF writer (javax.imageio): animation is
 * two metadata nodes away, the graphic control extension (frame delay) and the NETSCAPE2.0 application
 * extension (loop forever), so no library is needed. Grey frames keep their exact 8-bit values (a
 * 256-grey palette); colour frames are reduced to the JDK's default 256-colour palette.
 */
public final class GifAnimator {
    private static final IndexColorModel GREYS = greys();

    private GifAnimator() {}

    public static byte[] animate(List<BufferedImage> frames, int delayMillis) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            boolean first = true;
            for (BufferedImage frame : frames) {
                BufferedImage indexed = indexed(frame);
                IIOMetadata metadata = writer.getDefaultImageMetadata(new ImageTypeSpecifier(indexed), null);
                String format = metadata.getNativeMetadataFormatName();
                IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(format);
                IIOMetadataNode control = child(root, "GraphicControlExtension");
                control.setAttribute("disposalMethod", "none");
                control.setAttribute("userInputFlag", "FALSE");
                control.setAttribute("transparentColorFlag", "FALSE");
                control.setAttribute("delayTime", Integer.toString(Math.max(1, delayMillis / 10)));
                control.setAttribute("transparentColorIndex", "0");
                if (first) {
                    IIOMetadataNode loop = new IIOMetadataNode("ApplicationExtension");
                    loop.setAttribute("applicationID", "NETSCAPE");
                    loop.setAttribute("authenticationCode", "2.0");
                    loop.setUserObject(new byte[] {1, 0, 0}); // sub-block 1, loop count 0 = forever
                    child(root, "ApplicationExtensions").appendChild(loop);
                    first = false;
                }
                metadata.setFromTree(format, root);
                writer.writeToSequence(new IIOImage(indexed, null, metadata), null);
            }
            writer.endWriteSequence();
        } catch (IOException e) {
            throw new UncheckedIOException("GIF to memory failed", e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static BufferedImage indexed(BufferedImage frame) {
        int w = frame.getWidth();
        int h = frame.getHeight();
        if (frame.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, GREYS);
            out.getRaster().setDataElements(0, 0, w, h, frame.getRaster().getDataElements(0, 0, w, h, null));
            return out;
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED);
        out.createGraphics().drawImage(frame, 0, 0, null);
        return out;
    }

    private static IIOMetadataNode child(IIOMetadataNode root, String name) {
        for (int i = 0; i < root.getLength(); i++) {
            if (root.item(i).getNodeName().equalsIgnoreCase(name)) {
                return (IIOMetadataNode) root.item(i);
            }
        }
        IIOMetadataNode node = new IIOMetadataNode(name);
        root.appendChild(node);
        return node;
    }

    private static IndexColorModel greys() {
        byte[] level = new byte[256];
        for (int i = 0; i < 256; i++) {
            level[i] = (byte) i;
        }
        return new IndexColorModel(8, 256, level, level, level);
    }
}
