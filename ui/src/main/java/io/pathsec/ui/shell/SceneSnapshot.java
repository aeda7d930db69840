package io.pathsec.ui.shell;

import javafx.scene.Scene;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes what a scene shows to {@code <dir>/<name>.png}: the documentation's screenshots. */
final class SceneSnapshot {
    private SceneSnapshot() {
    }

    static void write(Scene scene, Path dir, String name) {
        WritableImage image = scene.snapshot(null);
        int w = (int) image.getWidth();
        int h = (int) image.getHeight();
        int[] argb = new int[w * h];
        image.getPixelReader().getPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), argb, 0, w);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, w, h, argb, 0, w);
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(name + ".png");
            ImageIO.write(out, "png", file.toFile());
            System.out.println("pathsec gui: wrote " + file + " (" + w + "x" + h + ")");
        } catch (IOException e) {
            System.err.println("pathsec gui: cannot write the screenshot " + name + ": " + e.getMessage());
        }
    }
}
