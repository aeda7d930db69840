package io.pathsec.engine.ike.message;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Notify Message Types (RFC 7296 §3.10.1 and the IANA "IKEv2 Notify Message Types" registry).
 * Values below 16384 are errors; 16384 and above are status types.
 */
public enum NotifyType {
    UNSUPPORTED_CRITICAL_PAYLOAD(1),
    INVALID_IKE_SPI(4),
    INVALID_MAJOR_VERSION(5),
    INVALID_SYNTAX(7),
    INVALID_MESSAGE_ID(9),
    INVALID_SPI(11),
    NO_PROPOSAL_CHOSEN(14),
    INVALID_KE_PAYLOAD(17),
    AUTHENTICATION_FAILED(24),
    SINGLE_PAIR_REQUIRED(34),
    NO_ADDITIONAL_SAS(35),
    INTERNAL_ADDRESS_FAILURE(36),
    FAILED_CP_REQUIRED(37),
    TS_UNACCEPTABLE(38),
    INVALID_SELECTORS(39),
    UNACCEPTABLE_ADDRESSES(40),
    UNEXPECTED_NAT_DETECTED(41),
    USE_ASSIGNED_HOA(42),
    TEMPORARY_FAILURE(43),
    CHILD_SA_NOT_FOUND(44),
    INVALID_GROUP_ID(45),
    AUTHORIZATION_FAILED(46),

    INITIAL_CONTACT(16384),
    SET_WINDOW_SIZE(16385),
    ADDITIONAL_TS_POSSIBLE(16386),
    IPCOMP_SUPPORTED(16387),
    NAT_DETECTION_SOURCE_IP(16388),
    NAT_DETECTION_DESTINATION_IP(16389),
    COOKIE(16390),
    USE_TRANSPORT_MODE(16391),
    HTTP_CERT_LOOKUP_SUPPORTED(16392),
    REKEY_SA(16393),
    ESP_TFC_PADDING_NOT_SUPPORTED(16394),
    NON_FIRST_FRAGMENTS_ALSO(16395),
    MOBIKE_SUPPORTED(16396),
    ADDITIONAL_IP4_ADDRESS(16397),
    ADDITIONAL_IP6_ADDRESS(16398),
    NO_ADDITIONAL_ADDRESSES(16399),
    UPDATE_SA_ADDRESSES(16400),
    COOKIE2(16401),
    NO_NATS_ALLOWED(16402),
    AUTH_LIFETIME(16403),
    MULTIPLE_AUTH_SUPPORTED(16404),
    ANOTHER_AUTH_FOLLOWS(16405),
    REDIRECT_SUPPORTED(16406),
    REDIRECT(16407),
    REDIRECTED_FROM(16408),
    EAP_ONLY_AUTHENTICATION(16417),
    CHILDLESS_IKEV2_SUPPORTED(16418),
    IKEV2_FRAGMENTATION_SUPPORTED(16430),
    SIGNATURE_HASH_ALGORITHMS(16431);

    /** First status type; anything below is an error (§3.10.1). */
    public static final int FIRST_STATUS_TYPE = 16384;

    private static final Map<Integer, NotifyType> BY_VALUE = new HashMap<>();

    static {
        for (NotifyType t : values()) {
            BY_VALUE.put(t.value, t);
        }
    }

    private final int value;

    NotifyType(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    public boolean isError() {
        return value < FIRST_STATUS_TYPE;
    }

    public static Optional<NotifyType> fromValue(int value) {
        return Optional.ofNullable(BY_VALUE.get(value));
    }
}
