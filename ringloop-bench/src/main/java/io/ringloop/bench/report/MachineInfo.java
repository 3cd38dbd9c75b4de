package io.ringloop.bench.report;

import io.netty.util.Version;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the figures were measured on: without it a wake latency means little (a VM's wake costs ten times more). */
public final class MachineInfo {
    private MachineInfo() {
    }

    /**
     * Collects kernel, CPUs, JDK, Netty and load.
     *
     * @return an ordered map for the JSON "machine" object
     */
    public static Map<String, Object> collect() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kernel", System.getProperty("os.version"));
        m.put("arch", System.getProperty("os.arch"));
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        m.put("cpu_model", cpuinfo("model name"));
        m.put("virtualized", cpuinfo("flags").contains(" hypervisor"));
        m.put("jdk", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"));
        m.put("netty", nettyVersion());
        m.put("loadavg_at_start", loadavg());
        return m;
    }

    /**
     * The load average now, to tell a quiet machine from one shared with builds.
     *
     * @return the first three fields of /proc/loadavg
     */
    public static String loadavg() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String cpuinfo(String key) {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            for (String line : lines) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                    return line.substring(colon + 1).trim();
                }
            }
        } catch (IOException ignored) {
            // not Linux, or no procfs: say unknown
        }
        return "unknown";
    }

    private static String nettyVersion() {
        Version v = Version.identify().get("netty-common");
        return v == null ? "unknown" : v.artifactVersion();
    }
}
