package io.pathsec.ui.daemon;

import io.pathsec.engine.control.api.ControlException;
import io.pathsec.engine.control.api.DaemonUnavailableException;

import java.util.Locale;

/**
 * Turns what the daemon or the socket reports into words a laptop user understands. The daemon's
 * messages are precise but written for engineers; the summary says what happened and what to do,
 * the detail keeps the original.
 */
public final class UserWords {
    private UserWords() {
    }

    public static UserMessage of(Throwable failure) {
        Throwable f = unwrap(failure);
        String detail = f.getMessage() == null ? f.toString() : f.getMessage();
        if (f instanceof DaemonUnavailableException d) {
            return new UserMessage(switch (d.reason()) {
                case NO_SOCKET, NOT_LISTENING -> "The PathSec service is not running. Start it with: sudo pathsec daemon";
                case NO_ACCESS -> "You are not allowed to use the PathSec service. "
                        + "Ask an administrator to add you to the group pathsec.";
            }, detail);
        }
        if (f instanceof ControlException c) {
            return new UserMessage(summary(c), detail);
        }
        return new UserMessage("Lost contact with the PathSec service.", detail);
    }

    private static String summary(ControlException c) {
        return switch (c.code()) {
            case TUNNEL_FAILED -> tunnelFailure(c.getMessage());
            case NOT_FOUND -> "That profile does not exist (any more); it may have been deleted elsewhere.";
            case ALREADY_EXISTS -> "A profile with this name already exists. Choose another name.";
            case INVALID_PROFILE -> "The profile was not saved: " + c.getMessage();
            case PERMISSION_DENIED -> "You are not allowed to use the PathSec service. "
                    + "Ask an administrator to add you to the group pathsec.";
            case UNSUPPORTED_VERSION -> "This window and the PathSec service are different versions. Update both.";
            case BAD_REQUEST, TOO_LARGE, INTERNAL -> "The PathSec service could not handle the request. "
                    + "This is a bug; the details below help to report it.";
        };
    }

    /** Why a tunnel did not come up, guessed from the daemon's technical reason. */
    public static String tunnelFailure(String reason) {
        String r = reason == null ? "" : reason.toLowerCase(Locale.ROOT);
        if (r.contains("operation not permitted") || r.contains("cap_net_admin") || r.contains("permission")) {
            return "The tunnel could not start: the PathSec service lacks the administrator rights to create "
                    + "a network device. Run it as root or through its system service.";
        }
        if (r.contains("assign requested address") || r.contains("bind")) {
            return "The tunnel could not start: this computer does not have the profile's local (listen) address.";
        }
        if (r.contains("busy") || r.contains("in use")) {
            return "The tunnel could not start: its network device is already used by another program or tunnel.";
        }
        if (r.contains("/dev/net/tun") || r.contains("no such device")) {
            return "The tunnel could not start: this computer has no TUN driver (/dev/net/tun).";
        }
        if (r.contains("traffic selectors refused")) {
            return "The gateway refused the networks this profile asks for (traffic selectors). "
                    + "Check the split-tunnel networks.";
        }
        if (r.contains("no virtual address")) {
            return "The gateway gave this computer no address inside the tunnel.";
        }
        if (r.contains("closed by the gateway")) {
            return "The gateway closed the connection.";
        }
        if (r.contains("unreachable") || r.contains("timed out") || r.contains("no answer")) {
            return "The gateway could not be reached. Check the gateway address and your network.";
        }
        if (r.contains("authentication")) {
            return "The gateway refused the login: the identity or the pre-shared key does not match.";
        }
        if (r.contains("proposal") || r.contains("no_proposal_chosen")) {
            return "The gateway accepts none of the offered algorithms (proposal mismatch).";
        }
        return "The tunnel could not start.";
    }

    private static Throwable unwrap(Throwable t) {
        Throwable f = t;
        // Task and CompletableFuture wrap the real failure; the user needs the innermost one.
        for (int depth = 0; depth < 8 && f.getCause() != null
                && (f instanceof java.util.concurrent.ExecutionException || f instanceof java.util.concurrent.CompletionException
                || f instanceof RuntimeException && f.getMessage() == null); depth++) {
            f = f.getCause();
        }
        return f;
    }
}
