using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace SocketHub.Server.Data.Migrations;

/// <summary>
/// One of the first three migrations, written by hand before the project used the EF Core tools
/// (so they have no Designer file; their ids stay, so existing databases upgrade). New ones come
/// from <c>dotnet ef migrations add</c> with SocketHubDbModelSnapshot.cs (see docs/operations.md).
/// Database.Migrate() applies them at start. A new database starts with message 1, "Server has Started", as the original board did;
/// inserting it here makes it part of the same transaction as the table.
/// </summary>
[DbContext(typeof(SocketHubDb))]
[Migration("20261121000000_CreateBoard")]
public sealed class CreateBoard : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "BoardMessages",
            columns: table => new
            {
                Id = table.Column<long>(type: "INTEGER", nullable: false)
                    .Annotation("Sqlite:Autoincrement", true),
                Text = table.Column<string>(type: "TEXT", nullable: false),
                PostedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                Poster = table.Column<string>(type: "TEXT", nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_BoardMessages", x => x.Id));

        migrationBuilder.Sql(
            "INSERT INTO BoardMessages (Text, PostedAt, Poster) " +
            "VALUES ('Server has Started', strftime('%Y-%m-%d %H:%M:%f+00:00', 'now'), NULL);");
    }

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.DropTable(name: "BoardMessages");
}
