# One build for both processes: `docker build --target silo .` or `--target api .` (docker-compose.yml does this).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Silo/Alerts.Silo.csproj -c Release -o /out/silo \
 && dotnet publish src/Api/Alerts.Api.csproj -c Release -o /out/api

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS silo
WORKDIR /app
COPY --from=build /out/silo .
ENTRYPOINT ["dotnet", "Alerts.Silo.dll"]

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS api
WORKDIR /app
COPY --from=build /out/api .
ENTRYPOINT ["dotnet", "Alerts.Api.dll"]
