using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Helpline.Console.Data.Migrations
{
    /// <inheritdoc />
    public partial class UrgentAcknowledgement : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "urgent_acknowledged_at",
                schema: "console",
                table: "contact_records",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "urgent_acknowledged_by",
                schema: "console",
                table: "contact_records",
                type: "uuid",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "urgent_acknowledged_at",
                schema: "console",
                table: "contact_records");

            migrationBuilder.DropColumn(
                name: "urgent_acknowledged_by",
                schema: "console",
                table: "contact_records");
        }
    }
}
