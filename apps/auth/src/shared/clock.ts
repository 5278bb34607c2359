import { Injectable } from '@nestjs/common';

/** The service's time; tests replace it to step past expiries without waiting. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
