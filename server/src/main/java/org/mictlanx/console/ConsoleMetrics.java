package org.mictlanx.console;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The counters behind the console's live charts, read from the same registry {@code /metrics} serves
 * ({@code mictlanx_s3_requests} by operation and status): cumulative request count, client and
 * server error counts, total and maximum latency. The page polls it and draws rates and mean latency
 * per interval from the differences, so the server keeps no chart state.
 */
final class ConsoleMetrics {

    private final MeterRegistry registry;

    ConsoleMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    Map<String, Object> snapshot() {
        long count = 0;
        long clientErrors = 0;
        long serverErrors = 0;
        double totalSeconds = 0;
        double maxSeconds = 0;
        for (Timer t : registry.find("mictlanx_s3_requests").timers()) {
            long n = t.count();
            count += n;
            String status = t.getId().getTag("status");
            if (status != null && status.startsWith("4")) clientErrors += n;
            if (status != null && status.startsWith("5")) serverErrors += n;
            totalSeconds += t.totalTime(TimeUnit.SECONDS);
            maxSeconds = Math.max(maxSeconds, t.max(TimeUnit.SECONDS));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("timeMillis", System.currentTimeMillis());
        out.put("requests", count);
        out.put("clientErrors", clientErrors);
        out.put("serverErrors", serverErrors);
        out.put("totalSeconds", totalSeconds);
        out.put("maxSeconds", maxSeconds);
        return out;
    }
}
