package io.pathsec.engine.control.api;

/**
 * Parameters of {@code profiles.put}.
 *
 * @param replace false refuses to overwrite an existing profile ({@link ErrorCode#ALREADY_EXISTS})
 */
public record PutProfile(Profile profile, boolean replace) {
}
