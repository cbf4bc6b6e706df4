using Microsoft.EntityFrameworkCore;

namespace SocketHub.Server.Data;

/// <summary>
/// Hands out a provider's derived context (<see cref="PostgresSocketHubDb"/>) to the stores, which
/// all ask for <see cref="SocketHubDb"/>: they stay the same whatever the provider.
/// </summary>
internal sealed class DerivedContextFactory<TDerived>(IDbContextFactory<TDerived> derived) : IDbContextFactory<SocketHubDb>
    where TDerived : SocketHubDb
{
    public SocketHubDb CreateDbContext() => derived.CreateDbContext();

    public async Task<SocketHubDb> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
        await derived.CreateDbContextAsync(cancellationToken);
}
