package io.pathsec.engine.control.api;

/**
 * Why a request failed. A closed set: clients switch on it (the CLI maps each to an exit code)
 * and new codes are a protocol change.
 */
public enum ErrorCode {
    /** Not a valid request: malformed JSON, no id, unknown method, missing or wrong parameter. */
    BAD_REQUEST,
    /** The message's {@code "v"} is not a version the daemon speaks. */
    UNSUPPORTED_VERSION,
    /** No profile (or no connected tunnel) of that name. */
    NOT_FOUND,
    /** A profile of that name exists and the request did not ask to replace it. */
    ALREADY_EXISTS,
    /** The profile does not validate; {@link ControlError#field()} names the offending field. */
    INVALID_PROFILE,
    /** The peer is neither root nor a member of the group {@code pathsec}. */
    PERMISSION_DENIED,
    /** The tunnel could not be brought up (TUN device, routes, sockets). */
    TUNNEL_FAILED,
    /** The message exceeded {@link ControlProtocol#MAX_MESSAGE_BYTES}. */
    TOO_LARGE,
    /** A bug in the daemon; its log has the details. */
    INTERNAL
}
