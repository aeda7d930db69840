package io.pathsec.ui.dashboard;

import io.pathsec.engine.control.api.SaInfo;

import java.util.Map;
import java.util.stream.Collectors;

/** One line of the dashboard's SA table, already in the words and units the table shows. */
public record SaRow(String direction, String spi, String transform, String mode, String endpoints,
                    String packets, String bytes, String drops) {

    static SaRow of(SaInfo sa) {
        String encapsulation = sa.udpEncapsulation() ? " (UDP)" : "";
        return new SaRow(sa.direction(), sa.spi(), sa.transform() + (sa.extendedSequenceNumbers() ? ", ESN" : ""),
                sa.mode() + encapsulation, sa.localEndpoint() + " → " + sa.remoteEndpoint(), Units.count(sa.packets()),
                Units.bytes(sa.bytes()), drops(sa.drops()));
    }

    static String drops(Map<String, Long> drops) {
        if (drops == null || drops.values().stream().allMatch(n -> n == 0)) {
            return "none";
        }
        return drops.entrySet().stream().filter(e -> e.getValue() > 0).sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey().toLowerCase().replace('_', ' ') + " " + Units.count(e.getValue()))
                .collect(Collectors.joining(", "));
    }
}
