package io.pathsec.ui.lab;

/**
 * A bulk transfer's state.
 *
 * @param running    the transfer is under way
 * @param bytesSent  what E1 has written so far (the current or the last transfer)
 * @param totalBytes what it will write in all
 * @param outcome    after the end, what came of it in words ("verified", a failure); null before
 */
public record LabTransferStatus(boolean running, long bytesSent, long totalBytes, String outcome) {
    /** No transfer has run yet. */
    public static final LabTransferStatus IDLE = new LabTransferStatus(false, 0, 0, null);
}
