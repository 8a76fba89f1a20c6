using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Helpline.Intake.Data.Migrations
{
    /// <inheritdoc />
    public partial class CallbackRequests : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "callback_requested_at",
                schema: "intake",
                table: "inbound_calls",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "callback_requests",
                schema: "intake",
                columns: table => new
                {
                    contact_id = table.Column<Guid>(type: "uuid", nullable: false),
                    number_ciphertext = table.Column<byte[]>(type: "bytea", maxLength: 128, nullable: false),
                    requested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_callback_requests", x => x.contact_id);
                    table.ForeignKey(
                        name: "fk_callback_requests_inbound_calls_contact_id",
                        column: x => x.contact_id,
                        principalSchema: "intake",
                        principalTable: "inbound_calls",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "callback_requests",
                schema: "intake");

            migrationBuilder.DropColumn(
                name: "callback_requested_at",
                schema: "intake",
                table: "inbound_calls");
        }
    }
}
