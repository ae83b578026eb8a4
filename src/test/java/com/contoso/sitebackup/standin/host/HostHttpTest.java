package com.contoso.sitebackup.standin.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HostHttpTest {
    /**
     * The host's front answers without Nagle's delay: once the class is loaded (before any server starts), the JDK
     * server's switch is on. Without it every response on a kept-alive connection waits 40 ms for a delayed ACK.
     */
    @Test
    void sendsWithNoDelay() throws ClassNotFoundException {
        Class.forName(HostHttp.class.getName(), true, HostHttp.class.getClassLoader());
        assertEquals("true", System.getProperty(HostHttp.NO_DELAY));
    }
}
