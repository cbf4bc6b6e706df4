# SocketHub: build with the .NET 10 SDK, run on the ASP.NET Core 10 runtime as a non-root user.
#   docker build -t sockethub .
#   docker run -p 8080:8080 -p 5007:5007 -p 8000:8000 -p 12000:12000 -p 12001:12001 -p 8088:8088 -v sockethub-data:/data sockethub

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src

# Restore in its own layer: it only reruns when a project file or package version changes.
COPY Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/SocketHub.Protocol/SocketHub.Protocol.csproj src/SocketHub.Protocol/
COPY src/SocketHub.Server/SocketHub.Server.csproj src/SocketHub.Server/
RUN dotnet restore src/SocketHub.Server/SocketHub.Server.csproj

COPY src/SocketHub.Protocol/ src/SocketHub.Protocol/
COPY src/SocketHub.Server/ src/SocketHub.Server/
RUN dotnet publish src/SocketHub.Server/SocketHub.Server.csproj -c Release --no-restore -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app

# The image's non-root "app" user owns the data volume; the database, key file and logs live there.
RUN mkdir /data && chown app:app /data
VOLUME /data

# Every listener is configured by SocketHub itself; clear the image's default HTTP port so
# Kestrel does not warn about overriding it.
ENV ASPNETCORE_HTTP_PORTS= \
    Listen__Address=0.0.0.0 \
    Storage__DataDirectory=/data \
    DOTNET_CLI_TELEMETRY_OPTOUT=1

COPY --from=build /app ./

# board, history, crypto, chat text, chat JSON, HTTP ops
EXPOSE 8080 5007 8000 12000 12001 8088

USER app

# The runtime image has no curl: the server binary asks its own /health/ready.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["dotnet", "SocketHub.Server.dll", "healthcheck"]

# dotnet is PID 1 and handles SIGTERM itself: it stops accepting, tells chat users, and exits
# within its 5 s shutdown timeout, inside docker's 10 s grace period.
STOPSIGNAL SIGTERM
ENTRYPOINT ["dotnet", "SocketHub.Server.dll"]
