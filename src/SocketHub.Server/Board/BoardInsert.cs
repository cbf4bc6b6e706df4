using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using SocketHub.Server.Data;

namespace SocketHub.Server.Board;

/// <summary>
/// Inserts a batch of board posts with multi-row <c>INSERT ... VALUES (...), (...) RETURNING</c>
/// statements on the context's own connection and transaction: one statement per
/// <see cref="RowsPerStatement"/> rows instead of EF's change tracking and one statement per row,
/// which took most of the writer's CPU. Plain SQL with named parameters that SQLite (3.35 and
/// later) and PostgreSQL both take; names are quoted and values bound by the context's provider
/// (its SQL helper and type mappings), so each column is stored exactly as EF would store it.
/// Used by one writer at a time, never concurrently.
/// </summary>
internal sealed class BoardInsert
{
    /// <summary>Rows per statement: 3 parameters a row stays far below every provider's limit.</summary>
    public const int RowsPerStatement = 64;

    private readonly string _table;
    private readonly string _columns;
    private readonly string _returning;
    private readonly RelationalTypeMapping _textMapping;
    private readonly RelationalTypeMapping _postedAtMapping;
    private readonly RelationalTypeMapping _posterMapping;
    private readonly string?[] _sql = new string?[RowsPerStatement + 1];

    // The parameter names of each row, made once.
    private static readonly (string Text, string PostedAt, string Poster)[] Names =
        Enumerable.Range(0, RowsPerStatement).Select(row => ($"@t{row}", $"@a{row}", $"@p{row}")).ToArray();

    public BoardInsert(SocketHubDb db)
    {
        var entity = db.Model.FindEntityType(typeof(BoardMessage))!;
        var names = db.GetService<ISqlGenerationHelper>();
        var mappings = db.GetService<IRelationalTypeMappingSource>();
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        string Column(string property) => names.DelimitIdentifier(entity.FindProperty(property)!.GetColumnName(table)!);
        RelationalTypeMapping Mapping(string property) => mappings.FindMapping(entity.FindProperty(property)!)!;

        _table = names.DelimitIdentifier(table.Name, table.Schema);
        _columns = $"{Column(nameof(BoardMessage.Text))}, {Column(nameof(BoardMessage.PostedAt))}, {Column(nameof(BoardMessage.Poster))}";
        _returning = Column(nameof(BoardMessage.Id));
        _textMapping = Mapping(nameof(BoardMessage.Text));
        _postedAtMapping = Mapping(nameof(BoardMessage.PostedAt));
        _posterMapping = Mapping(nameof(BoardMessage.Poster));
    }

    /// <summary>
    /// Inserts <paramref name="batch"/> in <paramref name="transaction"/> and returns each post's
    /// id, in the batch's order.
    /// </summary>
    public async Task<long[]> InsertAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<BoardMessage> batch)
    {
        var ids = new long[batch.Count];
        for (var first = 0; first < batch.Count; first += RowsPerStatement)
        {
            var rows = Math.Min(RowsPerStatement, batch.Count - first);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = _sql[rows] ??= Sql(rows);
            for (var row = 0; row < rows; row++)
            {
                var message = batch[first + row];
                var names = Names[row];
                command.Parameters.Add(_textMapping.CreateParameter(command, names.Text, message.Text, nullable: false));
                command.Parameters.Add(_postedAtMapping.CreateParameter(command, names.PostedAt, message.PostedAt, nullable: false));
                command.Parameters.Add(_posterMapping.CreateParameter(command, names.Poster, message.Poster, nullable: true));
            }

            var read = 0;
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    if (read == rows)
                    {
                        throw new InvalidOperationException($"The insert of {rows} posts returned more ids.");
                    }

                    ids[first + read++] = reader.GetInt64(0);
                }
            }

            if (read != rows)
            {
                throw new InvalidOperationException($"The insert of {rows} posts returned {read} ids.");
            }

            // Neither SQLite nor PostgreSQL promises RETURNING's row order, but both number the
            // rows of one statement in VALUES order (one writer, ascending keys): the smallest id
            // is the first row's.
            Array.Sort(ids, first, rows);
        }

        return ids;
    }

    private string Sql(int rows)
    {
        var sql = new StringBuilder($"INSERT INTO {_table} ({_columns}) VALUES ");
        for (var row = 0; row < rows; row++)
        {
            var names = Names[row];
            sql.Append(row == 0 ? "(" : ", (").Append(names.Text).Append(", ").Append(names.PostedAt).Append(", ").Append(names.Poster).Append(')');
        }

        return sql.Append($" RETURNING {_returning}").ToString();
    }
}
