using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace SocketHub.Server.Data.Migrations;

/// <summary>
/// The history server's log and its generated user names (written by hand: see
/// CreateBoard). AUTOINCREMENT keeps ids growing after deletes, so id order is always log order.
/// </summary>
[DbContext(typeof(SocketHubDb))]
[Migration("20261121100000_CreateHistory")]
public sealed class CreateHistory : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "HistoryLines",
            columns: table => new
            {
                Id = table.Column<long>(type: "INTEGER", nullable: false)
                    .Annotation("Sqlite:Autoincrement", true),
                Text = table.Column<string>(type: "TEXT", nullable: false),
                LoggedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_HistoryLines", x => x.Id));

        migrationBuilder.CreateTable(
            name: "HistoryUsers",
            columns: table => new
            {
                Name = table.Column<string>(type: "TEXT", nullable: false),
                CreatedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                CreatedBy = table.Column<string>(type: "TEXT", nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_HistoryUsers", x => x.Name));
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "HistoryUsers");
        migrationBuilder.DropTable(name: "HistoryLines");
    }
}
