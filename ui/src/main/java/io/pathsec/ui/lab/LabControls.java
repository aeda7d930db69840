package io.pathsec.ui.lab;

/**
 * What the lab panel changes: the R1—R2 path of {@code pathsec lab} and a bulk transfer from E1
 * to E2. Implemented by the launcher, the root process that owns the lab's namespaces; the GUI
 * sees only this, as it sees the daemon only through the control API. Calls block (they run
 * {@code ip} and {@code nft} in the namespaces), so the panel makes them through
 * {@link io.pathsec.ui.daemon.BackgroundWork}.
 */
public interface LabControls {
    /** The path's settings in force now. */
    LabSettings settings();

    /** Sets the MTU of both ends of the R1—R2 link. */
    void setPathMtu(int mtu) throws Exception;

    /**
     * A PMTUD black hole on the path: ICMP Fragmentation Needed and Packet Too Big are dropped on
     * R1 and R2, and so are IP fragments, so a packet above the path MTU vanishes without a word.
     */
    void setBlackHole(boolean on) throws Exception;

    /** Clamps the MSS of TCP SYNs that R1 forwards to {@code mss}; null stops clamping. */
    void setMssClamp(Integer mss) throws Exception;

    /** Drops this share (0–100 %) of the packets R1 sends towards R2, at random. */
    void setLoss(double percent) throws Exception;

    /** Starts a verified bulk TCP transfer from E1 to E2 through the tunnel. */
    void startTransfer() throws Exception;

    /** Stops the transfer, if one runs. */
    void stopTransfer();

    /** Where the transfer is now. */
    LabTransferStatus transfer();

    /** The lab in one line: nodes and addresses, for the panel's title. */
    String describe();
}
