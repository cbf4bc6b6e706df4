# SocketHub: build with the .NET 10 SDK, run on the ASP.NET Core 10 runtime as a non-root user.
#   docker compose up -d          (see "Run it in a classroom" in README.md)
#   docker build -t sockethub .
#   docker run -d -p 8080:8080 -p 5007:5007 -p 8000:8000 -p 12000:12000 -p 12001:12001 -p 8081:8081 -p 8088:8088 -p 18080:18080 -p 15007:15007 -p 18000:18000 -p 22000:22000 -p 22001:22001 -p 18081:18081 -p 8443:8443 -v sockethub-data:/data sockethub

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    DOTNET_NOLOGO=1
WORKDIR /src

# Restore in its own layer: it only reruns when a project file or a package version changes.
COPY Directory.Build.props Directory.Packages.props ./
COPY src/SocketHub.Protocol/SocketHub.Protocol.csproj src/SocketHub.Protocol/
COPY src/SocketHub.Server/SocketHub.Server.csproj src/SocketHub.Server/
RUN dotnet restore src/SocketHub.Server/SocketHub.Server.csproj

# The same publish command as test/SocketHub.Server.Tests/Hosting/PublishedServerTests.cs.
# Framework-dependent and portable, with the native SQLite library for linux-x64 and linux-arm64
# only (LinuxContainerRuntimesOnly, see SocketHub.Server.csproj): one Dockerfile builds for either
# architecture, without the 21 other platforms' libraries.
COPY .editorconfig ./
COPY src/SocketHub.Protocol/ src/SocketHub.Protocol/
COPY src/SocketHub.Server/ src/SocketHub.Server/
RUN dotnet publish src/SocketHub.Server/SocketHub.Server.csproj -c Release --no-restore -p:UseAppHost=false -p:LinuxContainerRuntimesOnly=true -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app

# The image's non-root "app" user (uid $APP_UID, 1654) owns the data folder, made before the
# VOLUME line so a new named volume starts out owned by it. The database, key files and logs live there.
RUN mkdir /data && chown "$APP_UID:$APP_UID" /data
VOLUME /data

# The base image sets ASPNETCORE_HTTP_PORTS=8080; SocketHub binds every port itself, so clear it
# (otherwise Kestrel warns "Overriding address(es) 'http://*:8080'" at every start).
ENV ASPNETCORE_HTTP_PORTS= \
    Listen__Address=0.0.0.0 \
    Storage__DataDirectory=/data

COPY --from=build /app ./

# board, history, crypto, chat text, chat JSON, secure chat, HTTP ops
# Plain ports, then each one's TLS twin (the plain port + 10000; HTTPS for the ops port on 8443).
EXPOSE 8080 5007 8000 12000 12001 8081 8088 18080 15007 18000 22000 22001 18081 8443

USER $APP_UID

# The runtime image has no curl or wget: the server's own "healthcheck" command asks
# http://127.0.0.1:<Ops:Port>/health/ready and exits 0 (ready) or 1.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["dotnet", "/app/SocketHub.Server.dll", "healthcheck"]

# Exec form: dotnet is PID 1 and gets SIGTERM itself (a shell form would swallow it and docker
# would SIGKILL after its grace period). On SIGTERM the server stops accepting, tells chat users,
# and exits 0 within its 5 s shutdown timeout, inside docker's 10 s default grace period.
STOPSIGNAL SIGTERM
ENTRYPOINT ["dotnet", "/app/SocketHub.Server.dll"]
