package io.pathsec.engine.control.api;

/**
 * Parameters of {@code profiles.import}: a profile file of another program, as text (the
 * client reads the file: the daemon never opens a path a client names).
 *
 * @param format  {@code "sswan"} (strongSwan's Android profile format)
 * @param content the file's text
 * @param name    the profile's name; null derives it from the file's {@code name}
 * @param psk     the pre-shared key, which {@code .sswan} files do not carry; null keeps a
 *                stored one when replacing
 * @param replace false refuses to overwrite an existing profile
 */
public record ImportProfile(String format, String content, String name, String psk, boolean replace) {
    @Override
    public String toString() {
        return "ImportProfile[" + format + ", " + name + ", psk " + (psk == null ? "none" : "hidden") + "]";
    }
}
