package io.pathsec.ui.pmtu;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.pathsec.engine.control.api.ControlCodec;
import io.pathsec.engine.control.api.ControlEvent;

import java.util.List;
import java.util.Optional;

/**
 * Reads PMTU samples out of events without knowing their records: the PMTU events are still being
 * designed on the engine side, so the GUI takes any event whose type starts with {@code pmtu} (or
 * names a black hole) and looks for the usual member names. When the records settle, this is the
 * one place to tighten.
 */
public final class PmtuEvents {
    private static final List<String> MTU_MEMBERS = List.of("plpmtu", "pmtu", "mtu", "effectiveMtu", "size");
    private static final List<String> SA_MEMBERS = List.of("spi", "sa");
    private static final List<String> SOURCE_MEMBERS = List.of("source", "method");

    private PmtuEvents() {
    }

    public static Optional<PmtuSample> sample(ControlEvent event) {
        String type = event.type().wireName();
        if (!isPmtu(type)) {
            return Optional.empty();
        }
        return sample(type, ControlCodec.gson().toJsonTree(event).getAsJsonObject());
    }

    static boolean isPmtu(String type) {
        return type.startsWith("pmtu") || type.contains("black-hole") || type.contains("blackhole");
    }

    /** @param data the event's {@code data} member */
    public static Optional<PmtuSample> sample(String type, JsonObject data) {
        if (!isPmtu(type)) {
            return Optional.empty();
        }
        Integer mtu = null;
        for (String m : MTU_MEMBERS) {
            JsonElement e = data.get(m);
            if (e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
                mtu = e.getAsInt();
                break;
            }
        }
        if (mtu == null) {
            return Optional.empty();
        }
        boolean blackHole = type.contains("black");
        String source = first(data, SOURCE_MEMBERS, blackHole ? "black-hole" : type);
        JsonElement at = data.get("at");
        return Optional.of(new PmtuSample(first(data, List.of("profile"), null),
                at != null && at.isJsonPrimitive() ? at.getAsLong() : System.currentTimeMillis(),
                first(data, SA_MEMBERS, "tunnel"), mtu, source, blackHole));
    }

    private static String first(JsonObject data, List<String> members, String otherwise) {
        for (String m : members) {
            JsonElement e = data.get(m);
            if (e != null && e.isJsonPrimitive()) {
                return e.getAsString();
            }
        }
        return otherwise;
    }
}
