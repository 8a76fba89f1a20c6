using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Helpline.Intake.Data.Migrations
{
    /// <inheritdoc />
    public partial class ShortAbandons : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "short_abandon",
                schema: "intake",
                table: "inbound_calls",
                type: "boolean",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "short_abandon",
                schema: "intake",
                table: "inbound_calls");
        }
    }
}
