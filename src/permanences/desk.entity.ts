import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One advisor's table at a session; each desk has its own slots. */
@Entity('desks')
export class Desk {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'session_id' })
  sessionId: string;

  @Column('integer')
  position: number;

  @Column('uuid', { name: 'advisor_id', nullable: true })
  advisorId: string | null;
}
