package io.pathsec.engine.control;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Group facts the access check needs, read from the files the kernel and libc keep them in:
 * {@code /etc/group} for a group's id and listed members, {@code /etc/passwd} for a uid's name,
 * and {@code /proc/PID/status} for the supplementary groups a process really has. (NSS sources
 * such as LDAP are not consulted; the supplementary groups from /proc cover them for a user who
 * logged in.)
 */
final class GroupDatabase {
    private final Path etc;
    private final Path proc;

    GroupDatabase(Path etc, Path proc) {
        this.etc = etc;
        this.proc = proc;
    }

    static GroupDatabase system() {
        return new GroupDatabase(Path.of("/etc"), Path.of("/proc"));
    }

    /** The id of the group {@code name}, if it exists. */
    OptionalInt gid(String name) {
        for (String[] fields : lines(etc.resolve("group"))) {
            if (fields.length >= 3 && fields[0].equals(name)) {
                return parse(fields[2]);
            }
        }
        return OptionalInt.empty();
    }

    /** Whether {@code /etc/group} lists the user {@code uid} as a member of group {@code gid}. */
    boolean listsMember(int gid, int uid) {
        String user = userName(uid);
        if (user == null) {
            return false;
        }
        for (String[] fields : lines(etc.resolve("group"))) {
            if (fields.length >= 4 && parse(fields[2]).orElse(-1) == gid) {
                return Arrays.asList(fields[3].split(",")).contains(user);
            }
        }
        return false;
    }

    /**
     * The supplementary groups of process {@code pid}, provided it still runs as {@code uid}
     * (the pid could have been reused by the time we look; then nothing is claimed).
     */
    Set<Integer> supplementaryGroups(int pid, int uid) {
        Set<Integer> groups = new HashSet<>();
        boolean sameUid = false;
        for (String line : rawLines(proc.resolve(Integer.toString(pid)).resolve("status"))) {
            if (line.startsWith("Uid:")) {
                String[] ids = line.substring(4).trim().split("\\s+");
                sameUid = ids.length > 0 && ids[0].equals(Integer.toString(uid));
            } else if (line.startsWith("Groups:")) {
                for (String g : line.substring(7).trim().split("\\s+")) {
                    parse(g).ifPresent(groups::add);
                }
            }
        }
        return sameUid ? groups : Set.of();
    }

    private String userName(int uid) {
        for (String[] fields : lines(etc.resolve("passwd"))) {
            if (fields.length >= 3 && fields[2].equals(Integer.toString(uid))) {
                return fields[0];
            }
        }
        return null;
    }

    private static List<String[]> lines(Path file) {
        return rawLines(file).stream().map(l -> l.split(":", -1)).toList();
    }

    private static List<String> rawLines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static OptionalInt parse(String number) {
        try {
            return number.isEmpty() ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(number));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }
}
