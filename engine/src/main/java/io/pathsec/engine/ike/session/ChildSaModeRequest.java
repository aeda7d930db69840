package io.pathsec.engine.ike.session;

/**
 * Which encapsulation an initiator asks for in IKE_AUTH (RFC 7296 §1.3.1). Transport mode is
 * requested with the USE_TRANSPORT_MODE notify; a responder that declines answers without it and
 * the CHILD_SA is then in tunnel mode, which the initiator must delete if it cannot live with it.
 */
public enum ChildSaModeRequest {
    /** Tunnel mode, the default: no notify is sent. */
    TUNNEL,
    /** Transport mode only: a refusal ends the session with a clear error. */
    TRANSPORT,
    /** Transport mode preferred; tunnel mode between the same hosts accepted when refused. */
    TRANSPORT_OR_TUNNEL;

    boolean wantsTransport() {
        return this != TUNNEL;
    }
}
