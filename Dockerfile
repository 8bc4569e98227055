# One build for both programs: `docker build --target silo .` (the silo, serving the HTTP API itself: the default) or
# `--target gateway .` (a standalone HTTP gateway, for deployments that scale HTTP apart from the silos).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Silo/Alerts.Silo.csproj -c Release -o /out/silo \
 && dotnet publish src/Gateway/Alerts.Gateway.csproj -c Release -o /out/gateway

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS silo
WORKDIR /app
COPY --from=build /out/silo .
ENTRYPOINT ["dotnet", "Alerts.Silo.dll"]

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS gateway
WORKDIR /app
COPY --from=build /out/gateway .
ENTRYPOINT ["dotnet", "Alerts.Gateway.dll"]
