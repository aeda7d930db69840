package io.pathsec.ui.lab;

/**
 * The lab path's settings as the panel shows them.
 *
 * @param pathMtu     MTU of the R1—R2 link, bytes
 * @param blackHole   ICMP "too big" errors and IP fragments are dropped on the path
 * @param mssClamp    the MSS R1 clamps forwarded SYNs to, or null
 * @param lossPercent random loss on R1 towards R2, 0–100
 */
public record LabSettings(int pathMtu, boolean blackHole, Integer mssClamp, double lossPercent) {
}
