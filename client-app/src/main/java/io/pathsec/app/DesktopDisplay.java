package io.pathsec.app;

/** Whether a window can be opened: an X11 or Wayland display, or Monocle's headless glass (tests). */
final class DesktopDisplay {
    private DesktopDisplay() {
    }

    static boolean present() {
        return present(System.getenv(), System.getProperty("glass.platform"));
    }

    static boolean present(java.util.Map<String, String> environment, String glassPlatform) {
        return environment.get("DISPLAY") != null || environment.get("WAYLAND_DISPLAY") != null
                || "Monocle".equals(glassPlatform);
    }
}
