package io.pathsec.engine.control;

import io.pathsec.engine.control.api.ControlProtocol;
import io.pathsec.engine.control.api.PeerIdentity;

import java.util.OptionalInt;
import java.util.Set;

/**
 * Who may use the control API, decided from the peer's SO_PEERCRED credentials: root, the
 * daemon's own user, and members of the control group (by primary gid, by the supplementary
 * groups the process holds, or as listed in the group database). The socket's mode 0660 already
 * keeps others out; this check still holds where the file's mode does not (a socket passed into
 * a container, a chmod by hand), and it is where refusals are logged.
 */
public final class PeerAccess {
    private final Set<Integer> trustedUids;
    private final OptionalInt groupId;
    private final GroupDatabase groups;

    PeerAccess(Set<Integer> trustedUids, OptionalInt groupId, GroupDatabase groups) {
        this.trustedUids = Set.copyOf(trustedUids);
        this.groupId = groupId;
        this.groups = groups;
    }

    /** Root, this process's user, and the group {@code groupName} if it exists. */
    public static PeerAccess forGroup(String groupName) {
        GroupDatabase db = GroupDatabase.system();
        return new PeerAccess(trusted(), db.gid(groupName), db);
    }

    /** Root, this process's user and members of group {@code gid}: for tests with their own group. */
    public static PeerAccess forGroupId(int gid) {
        return new PeerAccess(trusted(), OptionalInt.of(gid), GroupDatabase.system());
    }

    /** Root and the daemon's own user (who could read its memory anyway). */
    private static Set<Integer> trusted() {
        return new java.util.HashSet<>(java.util.List.of(0, ProcessIds.effectiveUid()));
    }

    public static PeerAccess standard() {
        return forGroup(ControlProtocol.GROUP);
    }

    /** Null if the peer may connect, else why not, in words for the log and the refusal. */
    String refusal(PeerIdentity peer) {
        if (trustedUids.contains(peer.uid())) {
            return null;
        }
        if (groupId.isEmpty()) {
            return "uid " + peer.uid() + " is not root and the group " + ControlProtocol.GROUP + " does not exist";
        }
        int gid = groupId.getAsInt();
        if (peer.gid() == gid || groups.supplementaryGroups(peer.pid(), peer.uid()).contains(gid)
                || groups.listsMember(gid, peer.uid())) {
            return null;
        }
        return "uid " + peer.uid() + " (pid " + peer.pid() + ") is neither root nor a member of group "
                + gid + " (" + ControlProtocol.GROUP + ")";
    }
}
