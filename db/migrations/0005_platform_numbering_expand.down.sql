-- 0005 down: drops the numbering functions and their sequences.
drop function next_equipment_qr();
drop function next_ticket_number();
drop sequence equipment_qr_seq;
drop sequence service_ticket_number_seq;
