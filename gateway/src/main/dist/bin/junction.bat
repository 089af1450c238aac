@echo off
rem Starts the Junction gateway: bin\junction [options], e.g. bin\junction --config conf\junction.yaml
rem (bin\junction --help lists the options). Ctrl-C drains and stops it.
rem
rem Environment:
rem   JAVA_HOME            the Java 17 or newer to run; without it, the java on the PATH
rem   JAVA_OPTS            options for the JVM, e.g. "-Xms512m -Xmx512m"
rem   JUNCTION_LOG_FORMAT  text (default) or json: the format of the logs (conf\logback.xml)
rem   JUNCTION_<OPTION>    any option with a value, e.g. JUNCTION_PORT=8080 for --port 8080 (the command line wins)
setlocal

set "JUNCTION_DIST=%~dp0.."

set "JAVA=java"
if not defined JAVA_HOME goto run
set "JAVA=%JAVA_HOME%\bin\java.exe"
if exist "%JAVA%" goto run
echo junction: JAVA_HOME is "%JAVA_HOME%", but "%JAVA%" is not there 1>&2
exit /b 1

:run
rem Logging by conf\logback.xml; a -Dlogback.configurationFile in JAVA_OPTS comes later and wins.
"%JAVA%" "-Dlogback.configurationFile=%JUNCTION_DIST%\conf\logback.xml" %JAVA_OPTS% ^
    -cp "%JUNCTION_DIST%\lib\*" dev.junction.gateway.GatewayMain %*
exit /b %ERRORLEVEL%
