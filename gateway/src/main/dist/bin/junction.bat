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

if defined JAVA_HOME (
    set "JAVA=%JAVA_HOME%\bin\java.exe"
) else (
    set "JAVA=java"
)
if defined JAVA_HOME if not exist "%JAVA%" (
    echo junction: JAVA_HOME is %JAVA_HOME%, but %JAVA% is not there 1>&2
    exit /b 1
)

"%JAVA%" %JAVA_OPTS% "-Dlogback.configurationFile=%JUNCTION_DIST%\conf\logback.xml" ^
    -cp "%JUNCTION_DIST%\lib\*" dev.junction.gateway.GatewayMain %*
exit /b %ERRORLEVEL%
