package de.scheincam.testing;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;

import javax.imageio.ImageIO;

/** Reading the pictures the API answers: which second of a {@link Media} recording they show. */
public final class Pictures {

    private Pictures() {
    }

    public static BufferedImage jpeg(byte[] bytes) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
            if (image == null) {
                throw new AssertionError("not an image (" + bytes.length + " bytes)");
            }
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The picture in a {@code data:image/jpeg;base64,…} URL. */
    public static BufferedImage dataUrl(String url) {
        return jpeg(Base64.getDecoder().decode(url.substring(url.indexOf(',') + 1)));
    }

    /** Media's picture has Y = (second mod 10) × 25 in limited range; JPEG decodes to full range. */
    public static double expectedLuma(int second) {
        double y = (second % 10) * 25.0;
        return Math.max(0, Math.min(255, (y - 16) * 255 / 219));
    }

    /** Mean luma of the middle half of a region (the whole picture, or one filmstrip tile). */
    public static double centreLuma(BufferedImage image, int x0, int y0, int width, int height) {
        double sum = 0;
        int n = 0;
        for (int y = y0 + height / 4; y < y0 + height * 3 / 4; y += 2) {
            for (int x = x0 + width / 4; x < x0 + width * 3 / 4; x += 2) {
                int rgb = image.getRGB(x, y);
                sum += 0.299 * ((rgb >> 16) & 0xff) + 0.587 * ((rgb >> 8) & 0xff) + 0.114 * (rgb & 0xff);
                n++;
            }
        }
        return sum / n;
    }

    public static double centreLuma(BufferedImage image) {
        return centreLuma(image, 0, 0, image.getWidth(), image.getHeight());
    }

    /**
     * Peak signal-to-noise ratio of two pictures of the same size over their RGB values, in dB: ∞ when
     * identical; JPEG at the app's quality keeps a picture at 35-45 dB of its source, while two
     * neighbouring frames of a moving picture lie far lower.
     */
    public static double psnr(BufferedImage a, BufferedImage b) {
        if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) {
            throw new AssertionError("sizes differ: " + a.getWidth() + "×" + a.getHeight() + " and " + b.getWidth() + "×" + b.getHeight());
        }
        double sum = 0;
        long n = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    int d = ((p >> shift) & 0xff) - ((q >> shift) & 0xff);
                    sum += d * d;
                    n++;
                }
            }
        }
        return sum == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 * n / sum);
    }
}
