/**
 * A modular application using Junction: every published jar required by its module name (the
 * {@code Automatic-Module-Name} of its manifest), compiled and run on the module path.
 */
module dev.junction.jpmscheck {
    requires dev.junction.core;
    requires dev.junction.servlet;
    requires dev.junction.undertow;
    requires dev.junction.gateway;
    requires dev.junction.spring;
    requires jakarta.servlet;
    requires undertow.core;
    requires java.net.http;
    requires jdk.httpserver;
}
