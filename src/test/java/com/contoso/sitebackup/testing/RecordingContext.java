package com.contoso.sitebackup.testing;

import com.microsoft.azure.functions.ExecutionContext;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * An {@link ExecutionContext} as the Java worker hands one to a function, whose logger keeps every record
 * it is given (and passes none to the parent loggers), so a test can read what a function logged through
 * the one logger the worker forwards to the host. Thread-safe: activities and orchestrators may share one.
 */
public final class RecordingContext implements ExecutionContext {
    private final String functionName;
    private final String invocationId = UUID.randomUUID().toString();
    private final Logger logger;
    private final List<LogRecord> records = new ArrayList<>();

    public RecordingContext(String functionName) {
        this.functionName = functionName;
        // An anonymous logger: a named one is shared by every test that asks for the name.
        this.logger = Logger.getAnonymousLogger();
        logger.setUseParentHandlers(false);
        logger.setLevel(Level.ALL);
        logger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                synchronized (records) {
                    records.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
    }

    @Override
    public Logger getLogger() {
        return logger;
    }

    @Override
    public String getInvocationId() {
        return invocationId;
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    /** Every record logged so far, in order. */
    public List<LogRecord> records() {
        synchronized (records) {
            return List.copyOf(records);
        }
    }

    /** The messages of every record logged so far that start with {@code prefix}, in order. */
    public List<String> messagesStartingWith(String prefix) {
        return records().stream().map(LogRecord::getMessage).filter(m -> m != null && m.startsWith(prefix)).toList();
    }
}
